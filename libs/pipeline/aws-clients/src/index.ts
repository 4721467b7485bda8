// Everything at once, for local code; a function imports each service's entry (@fanout/aws-clients/sqs, …).
export * from './client-config.js';
export * from './sqs.js';
export * from './sns.js';
export * from './dynamodb.js';
export * from './errors.js';
