import { setTimeout as sleep } from 'node:timers/promises';
import { queueConfig } from '@fanout/config';
import { emulatorClients } from '@fanout/emulators';
import { runtimeStopDeadlineMs, startRuntime, waitFor, type RuntimeProcess } from '@fanout/runtime-process';
import { messagesOnQueue, tableItems } from '@fanout/testing';
import { idempotencyKeyOf } from '../shared/burst-plan.js';
import { runBurst } from './run-burst.js';
import { runtimeMain } from './testing/local-runtime-process.js';

/**
 * The runner as a client that times out and retries, against the built local pipeline whose
 * functions' calls to SQS and DynamoDB stall now and then (the wire proxy holds one in five for 5 s;
 * the SDK gives a call up after 3 s and retries it). A POST whose SendMessage stalled answers after
 * about 3 s, past the runner's 2 s request timeout: the runner sends it again while the first
 * invocation still enqueues, so the queue gets the message twice. Counted from the stores.
 */
/**
 * How long the drain may take: a worker's delete whose every try stalled leaves its messages in
 * flight until the queue's visibility timeout, after which they come back and are written (once)
 * and deleted, so the wait covers that timeout and a minute more.
 */
const drainWaitMs = (queueConfig.visibilityTimeoutSeconds + 60) * 1_000;

describe('a client that times out and retries with the same idempotency keys', () => {
  let runtime: RuntimeProcess | undefined;

  afterAll(async () => {
    await runtime?.stop();
  }, runtimeStopDeadlineMs + 5_000);

  it('queues some messages twice, yet every key is written exactly once', async () => {
    // Prepare: no schedule, so that the queue can be counted before the drain
    runtime = await startRuntime({ runtimeMain }, ['--rate', 'off', '--faults', 'stall=0.2,stall-ms=5000']);
    const { apiUrl, tableName, queueUrl } = runtime.started;
    const { sqs, documents } = emulatorClients({ sqs: { endpoint: runtime.started.sqsEndpoint }, dynamodb: { endpoint: runtime.started.dynamodbEndpoint } });
    const messages = 100;

    // Act: single messages (their keys in Idempotency-Key), each try given up after 2 s, up to 10
    // tries; on a busy machine even a try that did not stall may take that long
    const { summary, retries } = await runBurst(
      { apiUrl, apiKey: undefined, messages, batch: 1, concurrency: 10, drainTimeoutSeconds: 0, requestTimeoutSeconds: 2, attempts: 10 },
      { fetch: globalThis.fetch, now: Date.now, sleep: (ms) => sleep(ms), random: Math.random },
    );
    // Let the invocations the runner gave up on finish their SendMessage.
    await sleep(5_000);
    const queued = await messagesOnQueue(sqs, queueUrl);
    const items = await waitFor(
      async () => {
        await fetch(`${apiUrl}/_local/tick`, { method: 'POST' });
        const written = (await tableItems(documents, tableName)).filter((item) => item['runId'] === summary.runId);
        const left = await messagesOnQueue(sqs, queueUrl);
        return written.length >= summary.accepted && left === 0 ? written : undefined;
      },
      drainWaitMs,
      `the accepted messages of ${summary.runId} in the table and an empty queue`,
    );
    sqs.destroy();
    documents.destroy();

    // Assess
    expect(summary.accepted).toBeGreaterThan(0);
    expect(retries['no answer']).toBeGreaterThan(0);
    // Retries put messages on the queue twice...
    expect(queued).toBeGreaterThan(items.length);
    // ...and still no key is written twice, and every item is one of the run's messages. (A message
    // whose every try went unanswered may still be in the table: a try that timed out may have been
    // enqueued; so the table may hold more than the accepted ones, never fewer.)
    const keys = items.map((item) => item['idempotencyKey']);
    expect(new Set(keys).size).toBe(items.length);
    expect(items.length).toBeGreaterThanOrEqual(summary.accepted);
    const runKeys = new Set(Array.from({ length: messages }, (_, index) => idempotencyKeyOf(summary.runId, index)));
    expect(keys.every((key) => runKeys.has(String(key)))).toBe(true);
  }, drainWaitMs + 120_000);
});
