import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { fanOutTick, type FanOutDecision, type FanOutTarget } from '@fanout/fan-out';

export interface CronDependencies extends FanOutTarget {
  log: Pick<Logger, 'info' | 'error'>;
}

/** Scheduled event in → one fan-out tick → its decision, logged as one line. */
export function createCronHandler(deps: CronDependencies) {
  return async (event: Pick<ScheduledEvent, 'id'>, context?: Pick<Context, 'awsRequestId'>): Promise<FanOutDecision> => {
    const tickId = event.id ?? context?.awsRequestId ?? `tick-${Date.now()}`;
    try {
      const decision = await fanOutTick(deps, tickId);
      deps.log.info('fan-out decision', { ...decision });
      return decision;
    } catch (error) {
      // Failing loudly lets the schedule's retry and the error alarm do their work.
      deps.log.error('fan-out tick failed', { tickId, errorName: (error as Error).name, errorMessage: (error as Error).message });
      throw error;
    }
  };
}
