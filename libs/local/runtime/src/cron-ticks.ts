import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { FunctionHost } from '@fanout/function-host';
import type { EmitEvent, TickTrigger } from './pipeline-events.js';

/** The event EventBridge's schedule rule sends test-cron. */
export function scheduledEvent(now = new Date()): ScheduledEvent {
  return {
    id: randomUUID(),
    version: '0',
    account: '000000000000',
    region: 'us-east-1',
    source: 'aws.events',
    'detail-type': 'Scheduled Event',
    time: now.toISOString(),
    resources: ['arn:aws:events:us-east-1:000000000000:rule/local-tick'],
    detail: {},
  };
}

/** test-cron's ticks, on the schedule or asked for, each told as an event and counted. */
export class CronTicks {
  ticks = 0;

  constructor(
    private readonly cron: Pick<FunctionHost, 'invoke'>,
    private readonly emit: EmitEvent,
  ) {}

  /** Invokes test-cron once; resolves with its decision, rejects with its failure. */
  async tick(trigger: TickTrigger = 'manual'): Promise<unknown> {
    try {
      const decision = await this.cron.invoke(scheduledEvent());
      this.ticks++;
      this.emit({ type: 'tick', trigger, decision });
      return decision;
    } catch (error) {
      this.emit({ type: 'tick-failed', trigger, error: (error as Error).message });
      throw error;
    }
  }

  /** Ticks every `everyMs` until the returned stop is called; a failed tick is already told as an event. */
  runEvery(everyMs: number): () => Promise<void> {
    const timer = setInterval(() => void this.tick('schedule').catch(() => undefined), everyMs);
    return async () => clearInterval(timer);
  }
}
