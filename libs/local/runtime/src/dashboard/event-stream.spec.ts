import { EventStream, formatServerSentEvent } from './event-stream.js';
import { FakeResponse } from './fake-response.testing.js';

describe('formatServerSentEvent', () => {
  it('writes one event line and one data line of JSON, ended by a blank line', () => {
    // Prepare
    const event = { event: 'status', data: { written: 100, note: 'two\nlines' } };

    // Act
    const text = formatServerSentEvent(event);

    // Assess
    expect(text).toBe('event: status\ndata: {"written":100,"note":"two\\nlines"}\n\n');
  });
});

describe('EventStream', () => {
  it('answers as text/event-stream and sends the greeting to the new client only', () => {
    // Prepare
    const stream = new EventStream(500);
    const first = new FakeResponse();
    const second = new FakeResponse();
    stream.open(first);

    // Act
    stream.open(second, [{ event: 'history', data: { samples: [] } }]);

    // Assess
    expect(second.statusCode).toBe(200);
    expect(second.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(second.body).toContain('retry: 500\n\n');
    expect(second.events()).toEqual([{ event: 'history', data: { samples: [] } }]);
    expect(first.events()).toEqual([]);
  });

  it('pushes every event to every open page, and none to a page that closed', () => {
    // Prepare
    const stream = new EventStream();
    const open = new FakeResponse();
    const closed = new FakeResponse();
    stream.open(open);
    stream.open(closed);
    closed.disconnect();

    // Act
    stream.send({ event: 'tick', data: { workers: 10 } });
    stream.send({ event: 'status', data: { visible: 0 } });

    // Assess
    expect(open.events()).toEqual([
      { event: 'tick', data: { workers: 10 } },
      { event: 'status', data: { visible: 0 } },
    ]);
    expect(closed.events()).toEqual([]);
    expect(stream.clientCount).toBe(1);
  });

  it('ends every stream when closed', () => {
    // Prepare
    const stream = new EventStream();
    const pages = [new FakeResponse(), new FakeResponse()];
    for (const page of pages) stream.open(page);

    // Act
    stream.close();

    // Assess
    expect(pages.map((page) => page.ended)).toEqual([true, true]);
    expect(stream.clientCount).toBe(0);
  });
});
