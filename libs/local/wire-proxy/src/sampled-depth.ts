import { callEmulator } from './forwarding.js';
import { shortPollModel } from './short-poll-model.js';

/** A queue's visible depth as the short-poll model needs it, read from the emulator behind the proxy. */
export class SampledDepth {
  private readonly reads = new Map<string, { visible: number; at: number }>();

  constructor(private readonly target: URL) {}

  async visible(queueUrl: string): Promise<number> {
    // A deep queue fills every short poll whatever its exact depth, so a depth read moments ago is
    // reused there instead of asking the emulator again on every short poll.
    const last = this.reads.get(queueUrl);
    if (last && last.visible >= shortPollModel.reuseDepthFrom && performance.now() - last.at <= shortPollModel.reuseDepthForMs) return last.visible;
    const output = await callEmulator<{ Attributes?: { ApproximateNumberOfMessages?: string } }>(this.target, 'AmazonSQS.GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    });
    const visible = Number(output.Attributes?.ApproximateNumberOfMessages ?? 0);
    this.reads.set(queueUrl, { visible, at: performance.now() });
    return visible;
  }
}
