import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SimulatedFunction } from './lambda-service.js';
import type { SimulatedAws } from './simulated-aws.js';
import type { ReceivedView, SqsQueue } from './sqs-queue.js';

/** How a mapping scales: standard (Lambda's pollers) or provisioned (pollers the mapping keeps). */
export interface MappingScaling {
  /** Concurrent invocations it starts with. */
  initial: number;
  /** Concurrent invocations it adds a minute while messages wait. */
  scaleUpPerMinute: number;
  /** The most it reaches. */
  ceiling: number;
}

export interface MappingSettings {
  scaling: MappingScaling;
  batchSize: number;
  batchingWindowMs: number;
  pollWaitMs: number;
  queueArn: string;
}

/** An SQS message as the mapping hands it to the function. */
function recordOf(message: ReceivedView, queueArn: string): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: 'simulation',
      ApproximateFirstReceiveTimestamp: String(message.sentTimestamp),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/**
 * Lambda's SQS event source mapping: `concurrency` pollers, each long-polling the queue, gathering a
 * batch (up to batchSize, within the batching window), invoking the function synchronously and
 * deleting the messages the function did not name in batchItemFailures. Failed, throttled or
 * timed-out batches stay in flight until their visibility timeout, and count toward redrive. While
 * messages wait it adds scaleUpPerMinute a minute, up to its ceiling (AWS's documented ramp; it
 * does not scale back down here, which a drain never needs).
 */
export class EventSourceMapping {
  private concurrency: number;
  private pollers = 0;
  private running = false;
  private scaleTimer: ReturnType<typeof setInterval> | undefined;
  /** Fractional additions carried from one second to the next. */
  private pendingGrowth = 0;
  stats = { batches: 0, throttledBatches: 0, failedBatches: 0, reachedCeilingAt: undefined as number | undefined };

  constructor(
    private readonly aws: SimulatedAws,
    private readonly queue: SqsQueue,
    private readonly fn: SimulatedFunction<SQSEvent, unknown>,
    private readonly settings: MappingSettings,
    private readonly now: () => number,
  ) {
    this.concurrency = Math.min(settings.scaling.initial, settings.scaling.ceiling);
  }

  /** Concurrent invocations it may run now. */
  get allowedConcurrency(): number {
    return this.concurrency;
  }

  start(): void {
    this.running = true;
    this.addPollers();
    this.scaleTimer = setInterval(() => this.scale(), 1_000);
  }

  stop(): void {
    this.running = false;
    clearInterval(this.scaleTimer);
  }

  private scale(): void {
    const { scaleUpPerMinute, ceiling } = this.settings.scaling;
    if (this.concurrency >= ceiling || this.queue.depth().visible === 0) return;
    this.pendingGrowth += scaleUpPerMinute / 60;
    const whole = Math.floor(this.pendingGrowth);
    this.pendingGrowth -= whole;
    this.concurrency = Math.min(ceiling, this.concurrency + whole);
    if (this.concurrency >= ceiling) this.stats.reachedCeilingAt ??= this.now();
    this.addPollers();
  }

  private addPollers(): void {
    while (this.pollers < this.concurrency) {
      this.pollers++;
      void this.poll();
    }
  }

  /** One poller: gather a batch, invoke, delete what was written; again, while the mapping runs. */
  private async poll(): Promise<void> {
    while (this.running) {
      const batch = await this.gatherBatch();
      if (batch.length === 0) continue;
      this.stats.batches++;
      let response: SQSBatchResponse | undefined;
      try {
        response = (await this.fn.invokeSync({ Records: batch.map((message) => recordOf(message, this.settings.queueArn)) })) as SQSBatchResponse;
      } catch (error) {
        // Throttled or failed: the whole batch waits out its visibility timeout. A throttled poller backs off a second.
        if ((error as Error).name === 'TooManyRequestsException') {
          this.stats.throttledBatches++;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        } else {
          this.stats.failedBatches++;
        }
        continue;
      }
      const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      const written = batch.filter((message) => !failed.has(message.messageId)).map((message) => message.receiptHandle);
      for (let first = 0; first < written.length; first += 10) await this.aws.deleteForMapping(written.slice(first, first + 10));
    }
  }

  /** Receives of up to 10 until the batch is full or its window has passed (one receive without a window). */
  private async gatherBatch(): Promise<ReceivedView[]> {
    const { batchSize, batchingWindowMs, pollWaitMs } = this.settings;
    const batch: ReceivedView[] = [];
    const windowEnds = this.now() + batchingWindowMs;
    do {
      const waitMs = batch.length === 0 ? pollWaitMs : Math.max(0, Math.min(pollWaitMs, windowEnds - this.now()));
      const received = await this.aws.receiveForMapping(Math.min(10, batchSize - batch.length), Math.ceil(waitMs / 1000) * 1000);
      batch.push(...received);
      if (received.length === 0 && batch.length > 0) break;
    } while (batch.length < batchSize && this.now() < windowEnds);
    return batch;
  }
}
