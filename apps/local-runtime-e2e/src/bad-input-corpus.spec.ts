import { request, type IncomingHttpHeaders } from 'node:http';
import { messagesOnQueue, tableItems } from '@fanout/testing';
import { badInputCorpus, type BadRequest } from './bad-input-corpus.js';
import { emulatorClientsOf, startRuntime, waitFor, type RuntimeProcess } from './runtime-process.js';

jest.setTimeout(90_000);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

type Sent = Pick<BadRequest, 'method' | 'path' | 'contentType' | 'body' | 'chunked' | 'headers'>;

/**
 * One request over node:http, which (unlike fetch) sends any bytes, no Content-Type, an empty chunked
 * body or a path as written.
 */
function send(apiUrl: string, { method = 'POST', path = '/messages', contentType, body, chunked, headers: extraHeaders = {} }: Sent): Promise<Answer> {
  const { hostname, port } = new URL(apiUrl);
  const headers: Record<string, string | number> = { ...extraHeaders };
  if (contentType !== null) headers['content-type'] = contentType ?? 'application/json';
  if (chunked) headers['transfer-encoding'] = 'chunked';
  else if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path, method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    // The API refuses an oversized body before reading it: what it did not read may fail to send.
    outgoing.end(body, () => undefined);
  });
}

async function health(apiUrl: string): Promise<number> {
  return (await send(apiUrl, { method: 'GET', path: '/health', contentType: null })).status;
}

describe('bad input: malformed requests over HTTP to the running pipeline', () => {
  let runtime: RuntimeProcess;
  let clients: ReturnType<typeof emulatorClientsOf>;

  beforeAll(async () => {
    // --rate off: no scheduled tick, so whatever reaches the queue stays there to be counted.
    runtime = await startRuntime(['--rate', 'off']);
    clients = emulatorClientsOf(runtime.started);
  }, 60_000);

  afterAll(async () => {
    clients?.sqs.destroy();
    clients?.dynamodb.destroy();
    await runtime?.stop();
  });

  it('holds at least 50 cases, each with a status, an error sentence and a name of its own', () => {
    const names = badInputCorpus.map((entry) => `${entry.category}: ${entry.name}`);
    expect(badInputCorpus.length).toBeGreaterThanOrEqual(50);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(badInputCorpus.map((entry) => [`${entry.category}: ${entry.name}`, entry] as const))('%s', async (_name, entry) => {
    // Prepare
    const { apiUrl, queueUrl } = runtime.started;

    // Act
    const answer = await send(apiUrl, entry);

    // Assess: the status and one clear sentence, never a stack trace
    const { expected } = entry;
    const body = JSON.parse(answer.text) as { error?: string; details?: { path: string; message: string }[] };
    const sentence = body.error;
    expect({ status: answer.status, error: sentence }).toEqual({
      status: expected.status,
      error: expect.stringMatching(expected.error),
    });
    expect(answer.headers['content-type']).toBe('application/json');
    expect(sentence).not.toMatch(/\n|\bat \S+ \(|Error:/);
    expect(body.details?.map((detail) => [detail.path, detail.message])).toEqual(
      (expected.details ?? []).map(([path, message]) => [path, expect.stringMatching(message)]),
    );
    for (const [name, value] of Object.entries(expected.headers ?? {})) expect(answer.headers[name]).toBe(value);
    // ...and the server still serves, with nothing on the queue
    expect(await health(apiUrl)).toBe(200);
    expect(await messagesOnQueue(clients.sqs, queueUrl)).toBe(0);
  });

  it('still serves after the whole corpus, with nothing enqueued and nothing dead-lettered', async () => {
    const { apiUrl, queueUrl, deadLetterQueueUrl } = runtime.started;
    expect(await health(apiUrl)).toBe(200);
    expect(runtime.child.exitCode).toBeNull();
    expect(await messagesOnQueue(clients.sqs, queueUrl)).toBe(0);
    expect(await messagesOnQueue(clients.sqs, deadLetterQueueUrl)).toBe(0);
  });

  it('stores valid non-ASCII keys byte for byte: Japanese, accented Latin, emoji, Arabic, 1,024 multi-byte characters', async () => {
    // Prepare
    const { apiUrl, queueUrl, deadLetterQueueUrl, tableName } = runtime.started;
    const runId = 'unicode-e2e';
    const batch = [
      { key1: 'データを送信する', key2: '東京都', key3: 'こんにちは、世界！', runId },
      { key1: 'naïve café', key2: 'Ærøskøbing', key3: 'Ångström — déjà vu, señor', runId },
      { key1: '🚀', key2: '👩‍💻', key3: '👍🏽 🇯🇵 👨‍👩‍👧‍👦', runId },
      { key1: 'مرحبا بالعالم', key2: 'العربية\u200f', key3: 'שלום 123 עולם', runId },
    ];
    const atTheLimit = { key1: 'あ'.repeat(1024), key2: 'ж'.repeat(1024), key3: '€🚀'.repeat(341) + 'é', runId };
    // NFC and NFD spellings of "é" stay distinct; tab, line breaks, U+FFFD and U+E000 are text SQS accepts.
    const edges = { key1: '\u00e9', key2: 'e\u0301', key3: 'tab\there\r\nnext \ufffd \ue000', runId };
    const escaped = { key1: '東京', key2: '🚀', key3: 'café', runId };
    const escapedBody = `{"key1":"\\u6771\\u4eac","key2":"\\ud83d\\ude80","key3":"caf\\u00e9","runId":"${runId}"}`;
    const posted = [...batch, atTheLimit, edges, escaped];
    expect(Array.from(atTheLimit.key1)).toHaveLength(1024);

    // Act
    const answers = [
      await send(apiUrl, { body: JSON.stringify(batch) }),
      await send(apiUrl, { body: JSON.stringify(atTheLimit) }),
      await send(apiUrl, { path: '/', contentType: 'application/json; charset=utf-8', body: JSON.stringify(edges) }),
      await send(apiUrl, { body: escapedBody }),
    ];
    const queued = await messagesOnQueue(clients.sqs, queueUrl);
    const tick = await send(apiUrl, { path: '/_local/tick', body: '{}' });
    await waitFor(
      async () => {
        const report = await send(apiUrl, { method: 'GET', path: `/runs/${runId}`, contentType: null });
        return (JSON.parse(report.text) as { written: number }).written >= posted.length ? true : undefined;
      },
      30_000,
      `GET /runs/${runId} to report ${posted.length} written`,
    );
    const items = (await tableItems(clients.documents, tableName)).filter((item) => item['runId'] === runId);

    // Assess
    expect(answers.map((answer) => [answer.status, answer.text])).toEqual(answers.map((answer) => [202, answer.text]));
    expect(queued).toBe(posted.length);
    expect(tick.status).toBe(200);
    const keys = (message: Record<string, unknown>) => [message['key1'], message['key2'], message['key3']].map(String);
    const utf8Bytes = (message: Record<string, unknown>) => keys(message).map((key) => Buffer.from(key, 'utf8').toString('hex'));
    expect(items.map(keys).sort()).toEqual(posted.map(keys).sort());
    expect(items.map(utf8Bytes).sort()).toEqual(posted.map(utf8Bytes).sort());
    expect(await messagesOnQueue(clients.sqs, queueUrl)).toBe(0);
    expect(await messagesOnQueue(clients.sqs, deadLetterQueueUrl)).toBe(0);
  });
});
