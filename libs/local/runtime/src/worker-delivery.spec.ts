import type { SNSEvent } from 'aws-lambda';
import { HostClosedError } from '@fanout/function-host';
import { noFaults } from '@fanout/wire-proxy';
import type { PipelineEvent, WorkerSummary } from './pipeline-events.js';
import { WorkerDelivery } from './worker-delivery.js';

const notification = (messageId: string) => ({ Records: [{ Sns: { MessageId: messageId } }] }) as unknown as SNSEvent;
const summary = (written: number, retries?: number): WorkerSummary => ({ received: written, written, invalid: 0, deleted: written, retries });

/** test-sqs2ddb, answering its runs in turn with these summaries or failures. */
function workerAnswering(...answers: (WorkerSummary | Error)[]) {
  const worker = {
    invocations: 0,
    invoke: async <T>(): Promise<T> => {
      const answer = answers[worker.invocations++ % answers.length];
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };
  return worker;
}

describe('WorkerDelivery', () => {
  it('counts each worker run, what it wrote and what it retried', async () => {
    // Prepare
    const events: PipelineEvent[] = [];
    const delivery = new WorkerDelivery(workerAnswering(summary(10, 2), summary(5)), (event) => events.push(event));
    // Act
    delivery.deliver(notification('n1'));
    delivery.deliver(notification('n2'));
    await delivery.settle(5_000);
    // Assess
    expect(delivery.counts).toEqual({ written: 15, workerRuns: 2, workerRunsInProgress: 0, duplicateDeliveries: 0, failedRuns: 0, retries: 2 });
    expect(events.map((event) => event.type)).toEqual(['worker-start', 'worker-start', 'worker-run', 'worker-run']);
    expect(events[0]).toEqual({ type: 'worker-start', notificationId: 'n1' });
  });

  it('counts a run that failed for good as failed, and says so', async () => {
    // Prepare
    const events: PipelineEvent[] = [];
    const delivery = new WorkerDelivery(workerAnswering(new HostClosedError('test-sqs2ddb')), (event) => events.push(event));
    // Act
    delivery.deliver(notification('n1'));
    await delivery.settle(5_000);
    // Assess
    expect(delivery.counts).toMatchObject({ written: 0, workerRuns: 1, workerRunsInProgress: 0, failedRuns: 1 });
    expect(events).toContainEqual({
      type: 'invoke-failed',
      functionName: 'test-sqs2ddb',
      attempt: 1,
      willRetry: false,
      error: 'test-sqs2ddb is shutting down and takes no new invocations',
    });
  });

  it('delivers every notification twice with duplicate-deliveries=1, and once without the fault', async () => {
    // Prepare
    const doubled = workerAnswering(summary(1));
    const single = workerAnswering(summary(1));
    const doubling = new WorkerDelivery(doubled, () => undefined, { ...noFaults, duplicateDeliveries: 1 });
    const plain = new WorkerDelivery(single, () => undefined);
    // Act
    for (const delivery of [doubling, plain]) {
      delivery.deliver(notification('n1'));
      delivery.deliver(notification('n2'));
      await delivery.settle(5_000);
    }
    // Assess
    expect([doubled.invocations, doubling.counts.duplicateDeliveries, doubling.counts.written]).toEqual([4, 2, 4]);
    expect([single.invocations, plain.counts.duplicateDeliveries, plain.counts.written]).toEqual([2, 0, 2]);
  });

  it('counts a run in progress until it ends, and stops waiting for it after the grace', async () => {
    // Prepare
    let finish: (summary: WorkerSummary) => void = () => undefined;
    const worker = { invoke: <T>() => new Promise<T>((resolve) => (finish = (done) => resolve(done as T))) };
    const delivery = new WorkerDelivery(worker, () => undefined);
    // Act
    delivery.deliver(notification('n1'));
    await delivery.settle(20);
    const whileRunning = delivery.counts.workerRunsInProgress;
    finish(summary(3));
    await delivery.settle(5_000);
    // Assess
    expect(whileRunning).toBe(1);
    expect(delivery.counts).toMatchObject({ workerRunsInProgress: 0, workerRuns: 1, written: 3 });
  });
});
