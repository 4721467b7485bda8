export * from './routes.js';
export * from './gateway-answers.js';
export * from './request-model.js';
