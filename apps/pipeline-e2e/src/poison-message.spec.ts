import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { esmConfig } from '@fanout/config';
import { startEsmPoller } from '@fanout/runtime';
import { allItems, itemsOfRun, lambdaContext, queueCounts, startPipeline, type Pipeline } from './pipeline-harness.js';

const maxReceiveCount = 2;
const visibilityTimeoutSeconds = 1;

const poisonBody = 'secret-not-json {';

/** One batch of 10 sent straight to the queue, bypassing the API; the 5th is not JSON. Returns the poison's MessageId. */
async function sendBatchWithPoison(pipeline: Pipeline, runId: string): Promise<string | undefined> {
  const entries = Array.from({ length: 10 }, (_, i) => ({
    Id: String(i),
    MessageBody: i === 4 ? poisonBody : JSON.stringify({ key1: `a${i}`, key2: 'b', key3: 'c', runId }),
  }));
  const sent = await pipeline.clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: pipeline.resources.queueUrl, Entries: entries }));
  return sent.Successful?.find((entry) => entry.Id === '4')?.MessageId;
}

/** What the dead-letter queue holds, as [MessageId, body] pairs. */
async function deadLetters(pipeline: Pipeline): Promise<[string | undefined, string | undefined][]> {
  const dead = await pipeline.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: pipeline.resources.deadLetterQueueUrl, MaxNumberOfMessages: 10 }));
  return (dead.Messages ?? []).map((message) => [message.MessageId, message.Body]);
}

/** The lines the bundles log. Powertools writes INFO lines to stdout and WARN/ERROR lines to stderr. */
function captureLogs(): string[] {
  const logged: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  return logged;
}

describe('a poison message, with the fan-out trigger', () => {
  let pipeline: Pipeline;
  let logged: string[] = [];
  beforeAll(async () => {
    pipeline = await startPipeline({ visibilityTimeoutSeconds, maxReceiveCount });
  });
  afterAll(async () => pipeline?.stop());
  beforeEach(() => {
    logged = captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  it('lands in the dead-letter queue after maxReceiveCount while its batch-mates are written', async () => {
    // Prepare
    const runId = 'integration-poison';
    const poisonId = await sendBatchWithPoison(pipeline, runId);
    const event = { Records: [{ Sns: { MessageId: 'start' } }] } as never;

    // Act: worker runs (as ticks would start them) until nothing is left on the queue, bounded
    const runs: Awaited<ReturnType<Pipeline['worker']>>[] = [];
    for (let run = 0; run < 10; run++) {
      runs.push(await pipeline.worker(event, lambdaContext()));
      const left = await queueCounts(pipeline);
      if (left.visible + left.inFlight === 0) break;
      await new Promise((resolve) => setTimeout(resolve, visibilityTimeoutSeconds * 1000));
    }
    const total = (key: 'written' | 'invalid' | 'deleted') => runs.reduce((sum, run) => sum + run[key], 0);

    // Assess: the first run wrote the 9 good messages at once; the poison was received exactly
    // maxReceiveCount times (never written, never deleted) and then moved by the redrive policy.
    expect(runs[0]).toMatchObject({ written: 9, deleted: 9 });
    expect(total('written')).toBe(9);
    expect(total('deleted')).toBe(9);
    expect(total('invalid')).toBe(maxReceiveCount);
    expect(await itemsOfRun(pipeline, runId)).toHaveLength(9);
    expect(await queueCounts(pipeline)).toEqual({ visible: 0, inFlight: 0 });
    expect(await deadLetters(pipeline)).toEqual([[poisonId, poisonBody]]);
    // The worker says which message was bad and why, never what it held.
    const warnings = logged.filter((line) => line.includes('invalid message'));
    expect(warnings).toHaveLength(maxReceiveCount);
    expect(warnings.every((line) => line.includes(poisonId as string) && line.includes('the body is not valid JSON'))).toBe(true);
    expect(logged.some((line) => line.includes('secret-not-json'))).toBe(false);
  });
});

describe('a poison message, with the esm trigger (the local event source mapping invoking the built worker)', () => {
  let pipeline: Pipeline;
  let logged: string[] = [];
  beforeAll(async () => {
    pipeline = await startPipeline({ visibilityTimeoutSeconds, maxReceiveCount });
  });
  afterAll(async () => pipeline?.stop());
  beforeEach(() => {
    logged = captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  it('is named failed in every answer, reaches the dead-letter queue after maxReceiveCount, and its batch-mates are written once', async () => {
    // Prepare
    const runId = 'integration-poison-esm';
    const poisonId = await sendBatchWithPoison(pipeline, runId);
    const worker = pipeline.worker as unknown as (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;
    const answers: SQSBatchResponse[] = [];

    // Act: the mapping polls until the queue is empty (the poison returns once a visibility timeout), bounded
    const poller = startEsmPoller({
      sqs: pipeline.clients.sqs,
      queueUrl: pipeline.resources.queueUrl,
      queueArn: pipeline.resources.queueArn,
      batchSize: esmConfig.batchSize,
      batchingWindowMs: 0,
      receiveWaitSeconds: 1,
      maxConcurrency: 1,
      scaling: esmConfig.standardScaling,
      invoke: async (event) => {
        const answer = await worker(event, lambdaContext());
        answers.push(answer);
        return answer;
      },
    });
    try {
      for (let waited = 0; waited < 30; waited++) {
        const left = await queueCounts(pipeline);
        if (left.visible + left.inFlight === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    } finally {
      await poller.stop();
    }

    // Assess: the poison was received maxReceiveCount times, each answer named it and only it, and
    // the redrive policy moved it; the table holds its 9 batch-mates, once each.
    expect(answers).toHaveLength(maxReceiveCount);
    expect(answers.every((answer) => answer.batchItemFailures.length === 1 && answer.batchItemFailures[0].itemIdentifier === poisonId)).toBe(true);
    const items = (await allItems(pipeline)).filter((item) => item['runId'] === runId);
    expect(items).toHaveLength(9);
    expect(new Set(items.map((item) => item['key1'])).size).toBe(9);
    expect(await queueCounts(pipeline)).toEqual({ visible: 0, inFlight: 0 });
    expect(await deadLetters(pipeline)).toEqual([[poisonId, poisonBody]]);
    const warnings = logged.filter((line) => line.includes('invalid message'));
    expect(warnings).toHaveLength(maxReceiveCount);
    expect(warnings.every((line) => line.includes(poisonId as string) && line.includes('the body is not valid JSON'))).toBe(true);
    expect(logged.some((line) => line.includes('secret-not-json'))).toBe(false);
  });
});
