export * from './run-report.js';
export * from './read-run-items.js';
export * from './handle-run-status-request.js';
