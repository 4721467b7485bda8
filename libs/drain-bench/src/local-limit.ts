import { performance } from 'node:perf_hooks';
import { awsDrainPorts, drainQueue } from '@fanout/drain';
import { emulatorClients, provisionResources, startEmulators } from '@fanout/local-emulators';
import { seedQueue } from './seed-queue.js';

export interface LimitSample {
  workers: number;
  drainMs: number;
  messagesPerSecond: number;
}

export interface LocalLimit {
  messages: number;
  /** The best of the worker counts tried. */
  best: LimitSample;
  samples: LimitSample[];
}

/**
 * The local limit: the raw SDK drain of N messages (receive 10 → BatchWriteItem → DeleteMessageBatch,
 * no functions, no schedule) with 1, 4 and 16 concurrent loops on fresh emulators. The best of them is
 * what this machine can do; every pipeline figure is shown against it.
 */
export async function measureLocalLimit(messages: number, workerCounts: number[] = [1, 4, 16]): Promise<LocalLimit> {
  const emulators = await startEmulators();
  try {
    const clients = emulatorClients(emulators);
    const resources = await provisionResources(clients);
    const samples: LimitSample[] = [];
    for (const workers of workerCounts) {
      await seedQueue(clients.sqs, resources.queueUrl, `limit-${workers}`, messages);
      const ports = awsDrainPorts({
        sqs: clients.sqs,
        dynamo: clients.documents,
        queueUrl: resources.queueUrl,
        tableName: resources.tableName,
        receiveWaitSeconds: 0,
      });
      const started = performance.now();
      const runs = await Promise.all(
        Array.from({ length: workers }, () =>
          // flushAt 10: write and delete each receive as it comes, the plainest drain there is.
          drainQueue(ports, { messageBudget: Infinity, safetyMarginMs: 0, remainingTimeMs: () => Infinity, flushAt: 10 }),
        ),
      );
      const drainMs = performance.now() - started;
      const written = runs.reduce((sum, run) => sum + run.written, 0);
      if (written !== messages) throw new Error(`The limit run with ${workers} workers wrote ${written} of ${messages}.`);
      samples.push({ workers, drainMs, messagesPerSecond: (messages * 1000) / drainMs });
    }
    const best = samples.reduce((a, b) => (b.drainMs < a.drainMs ? b : a));
    return { messages, best, samples };
  } finally {
    await emulators.stop();
  }
}
