import type { SNSEvent } from 'aws-lambda';
import { sampleLatency, type Latency } from './latency.js';
import type { Random } from './random.js';
import { sleep } from './sleep.js';

/** The event SNS hands Lambda for one notification. */
export function snsEvent(message: string, topicArn: string): SNSEvent {
  return { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: `${topicArn}:worker`, Sns: { Message: message, MessageId: '', TopicArn: topicArn } }] } as unknown as SNSEvent;
}

/**
 * SNS → Lambda: each notification reaches the subscribed function after its delivery latency, or,
 * standing for the local runtime's bridge (`bridge`), up to 10 a round, one round at a time.
 */
export class SnsDelivery {
  /** Notifications published and not yet handed to the function. */
  pending = 0;
  private readonly bridged: string[] = [];
  private bridging = false;

  constructor(
    private readonly options: { latency: Latency; bridge: boolean; random: Random; topicArn: string; invoke: (event: SNSEvent) => void },
  ) {}

  deliver(message: string): void {
    this.pending++;
    if (this.options.bridge) {
      this.bridged.push(message);
      void this.runBridge();
      return;
    }
    setTimeout(() => this.handOver(message), sampleLatency(this.options.latency, this.options.random));
  }

  private handOver(message: string): void {
    this.pending--;
    this.options.invoke(snsEvent(message, this.options.topicArn));
  }

  private async runBridge(): Promise<void> {
    if (this.bridging) return;
    this.bridging = true;
    while (this.bridged.length > 0) {
      await sleep(sampleLatency(this.options.latency, this.options.random));
      for (const message of this.bridged.splice(0, 10)) this.handOver(message);
    }
    this.bridging = false;
  }
}
