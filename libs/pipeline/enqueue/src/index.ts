export * from './parse-request.js';
export * from './enqueue-messages.js';
export * from './handle-enqueue-request.js';
