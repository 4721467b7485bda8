import type { IncomingMessage } from 'node:http';

/** `app/<function>.<n>` in the SDK's user agent (Powertools may append `-PT-…` to it). */
export function environmentTag(headers: IncomingMessage['headers']): string | undefined {
  return /\bapp\/([A-Za-z0-9_-]+\.\d+)/.exec(String(headers['user-agent'] ?? ''))?.[1];
}

/** The API operation of a request: `x-amz-target` for JSON protocols (SQS, DynamoDB), `Action` for SNS's query protocol. */
export function operationOf(headers: IncomingMessage['headers'], body: Buffer): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const action = /(?:^|&)Action=([^&]+)/.exec(body.toString('utf8'));
  return action ? decodeURIComponent(action[1]) : 'Unknown';
}
