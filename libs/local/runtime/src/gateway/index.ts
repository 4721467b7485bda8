export * from './proxy-event.js';
export * from './routes.js';
