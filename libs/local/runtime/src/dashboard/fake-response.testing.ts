import { EventEmitter } from 'node:events';
import type { ServerSentEvent } from './event-stream.js';

/** A response that keeps what was written to it, for tests that never open a socket. */
export class FakeResponse extends EventEmitter {
  statusCode: number | undefined;
  headers: Record<string, string> = {};
  body = '';
  ended = false;

  writeHead(statusCode: number, headers: Record<string, string>): this {
    this.statusCode = statusCode;
    this.headers = headers;
    return this;
  }

  write(chunk: string): boolean {
    this.body += chunk;
    return true;
  }

  end(body?: string | Buffer): void {
    if (body !== undefined) this.body += body.toString();
    this.ended = true;
  }

  /** The browser closed the page. */
  disconnect(): void {
    this.emit('close');
  }

  /** The server-sent events in the body, parsed as EventSource would. */
  events(): ServerSentEvent[] {
    return this.body
      .split('\n\n')
      .map((block) => {
        const lines = block.split('\n');
        const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
        const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length);
        return event && data !== undefined ? { event, data: JSON.parse(data) as unknown } : undefined;
      })
      .filter((event): event is ServerSentEvent => event !== undefined);
  }
}
