import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { noFaults } from '@fanout/wire-proxy';
import { MappedBatchDelivery } from './mapped-batch-delivery.js';
import type { PipelineEvent } from './pipeline-events.js';

const batchOf = (...ids: string[]) => ({ Records: ids.map((messageId) => ({ messageId })) }) as unknown as SQSEvent;

/** test-sqs2ddb answering each batch by naming these messages as failed, or failing. */
function workerAnswering(answer: (event: SQSEvent) => SQSBatchResponse | Error) {
  const worker = {
    events: [] as SQSEvent[],
    invoke: async <T>(event: unknown): Promise<T> => {
      worker.events.push(event as SQSEvent);
      const result = answer(event as SQSEvent);
      if (result instanceof Error) throw result;
      return result as T;
    },
  };
  return worker;
}

describe('MappedBatchDelivery', () => {
  it('counts each batch invocation, and as written the messages its answer did not name', async () => {
    // Prepare
    const delivery = new MappedBatchDelivery(
      workerAnswering(() => ({ batchItemFailures: [{ itemIdentifier: 'm2' }] })),
      () => undefined,
    );
    // Act
    const answer = await delivery.invoke(batchOf('m1', 'm2', 'm3'));
    delivery.record({ messages: 3, deleted: 2, returned: 1, invocationFailed: false });
    // Assess
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(delivery.counts).toEqual({ written: 2, workerRuns: 1, workerRunsInProgress: 0, duplicateDeliveries: 0, failedRuns: 0, retries: 0 });
  });

  it('counts a failed invocation, rejects so that the mapping returns the batch, and says so', async () => {
    // Prepare
    const events: PipelineEvent[] = [];
    const delivery = new MappedBatchDelivery(workerAnswering(() => new Error('test-sqs2ddb timed out after 6000 ms')), (event) => events.push(event));
    // Act
    const invoked = delivery.invoke(batchOf('m1', 'm2'));
    const inProgress = delivery.counts.workerRunsInProgress;
    await expect(invoked).rejects.toThrow('timed out');
    delivery.record({ messages: 2, deleted: 0, returned: 2, invocationFailed: true, error: 'test-sqs2ddb timed out after 6000 ms' });
    // Assess
    expect(inProgress).toBe(1);
    expect(delivery.counts).toMatchObject({ written: 0, workerRuns: 1, workerRunsInProgress: 0, failedRuns: 1 });
    expect(events).toEqual([{ type: 'batch-returned', messages: 2, error: 'test-sqs2ddb timed out after 6000 ms' }]);
  });

  it('with the duplicate-deliveries fault, hands a batch to a second invocation too, and counts it', async () => {
    // Prepare
    const worker = workerAnswering(() => ({ batchItemFailures: [] }));
    const delivery = new MappedBatchDelivery(worker, () => undefined, { ...noFaults, duplicateDeliveries: 1 });
    // Act
    await delivery.invoke(batchOf('m1'));
    await delivery.settle(5_000);
    // Assess
    expect(worker.events).toHaveLength(2);
    expect(worker.events[1]).toBe(worker.events[0]);
    expect(delivery.counts).toMatchObject({ duplicateDeliveries: 1, workerRuns: 2, workerRunsInProgress: 0 });
  });
});
