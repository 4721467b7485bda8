/** What the event stream needs of a response: Node's ServerResponse has all of it. */
export interface EventStreamResponse {
  writeHead(statusCode: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  end(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** One server-sent event: JSON never holds a raw newline, so its data is always one `data:` line. */
export function formatServerSentEvent({ event, data }: ServerSentEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The open `text/event-stream` responses of `GET /_local/events`, and what is pushed to all of them. */
export class EventStream {
  private readonly clients = new Set<EventStreamResponse>();

  constructor(private readonly retryMs = 1_000) {}

  get clientCount(): number {
    return this.clients.size;
  }

  /** Starts the stream on `response`; `greeting` goes to this client only (what happened before it came). */
  open(response: EventStreamResponse, greeting: readonly ServerSentEvent[] = []): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    // The browser reconnects by itself after this long when the runtime restarts.
    response.write(`retry: ${this.retryMs}\n\n`);
    for (const event of greeting) response.write(formatServerSentEvent(event));
    this.clients.add(response);
    response.once('close', () => this.clients.delete(response));
  }

  send(event: ServerSentEvent): void {
    if (this.clients.size === 0) return;
    const chunk = formatServerSentEvent(event);
    for (const client of this.clients) client.write(chunk);
  }

  /** Ends every stream (the runtime is stopping). */
  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
