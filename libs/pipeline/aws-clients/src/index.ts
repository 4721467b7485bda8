export * from './aws-clients.js';
