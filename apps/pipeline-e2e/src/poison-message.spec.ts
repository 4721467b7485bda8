import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { itemsOfRun, lambdaContext, queueCounts, startPipeline, type Pipeline } from './pipeline-harness.js';

const maxReceiveCount = 2;
const visibilityTimeoutSeconds = 1;

describe('a poison message', () => {
  let pipeline: Pipeline;
  let logged: string[] = [];
  beforeAll(async () => {
    pipeline = await startPipeline({ visibilityTimeoutSeconds, maxReceiveCount });
  });
  afterAll(async () => pipeline?.stop());
  beforeEach(() => {
    logged = [];
    // Powertools writes INFO lines to stdout and WARN/ERROR lines to stderr.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        logged.push(String(chunk));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it('lands in the dead-letter queue after maxReceiveCount while its batch-mates are written', async () => {
    // Prepare: one batch of 10 sent straight to the queue, bypassing the API; the 5th is not JSON
    const runId = 'integration-poison';
    const poisonBody = 'secret-not-json {';
    const entries = Array.from({ length: 10 }, (_, i) => ({
      Id: String(i),
      MessageBody: i === 4 ? poisonBody : JSON.stringify({ key1: `a${i}`, key2: 'b', key3: 'c', runId }),
    }));
    const sent = await pipeline.clients.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: pipeline.resources.queueUrl, Entries: entries }),
    );
    const poisonId = sent.Successful?.find((entry) => entry.Id === '4')?.MessageId;
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
    const dead = await pipeline.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: pipeline.resources.deadLetterQueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(dead.Messages?.map((message) => [message.MessageId, message.Body])).toEqual([[poisonId, poisonBody]]);
    // The worker says which message was bad and why, never what it held.
    const warnings = logged.filter((line) => line.includes('invalid message'));
    expect(warnings).toHaveLength(maxReceiveCount);
    expect(warnings.every((line) => line.includes(poisonId as string) && line.includes('the body is not valid JSON'))).toBe(true);
    expect(logged.some((line) => line.includes('secret-not-json'))).toBe(false);
  });
});
