export * from './http-response.js';
