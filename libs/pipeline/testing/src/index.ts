export * from './api-gateway-event.js';
export * from './response-body.js';
export * from './recording-logger.js';
export * from './fake-sqs-queue.js';
export * from './lambda-context.js';
export * from './queue-counts.js';
export * from './table-items.js';
