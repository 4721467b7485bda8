import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { pipelineMetrics } from '@fanout/config';
import { fanOutTick, type FanOutDecision, type FanOutTarget } from '@fanout/fan-out';

export interface CronDependencies extends FanOutTarget {
  log: Pick<Logger, 'info' | 'error' | 'addContext'>;
  metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
}

/**
 * Scheduled event in → one fan-out tick → its decision, logged as one line and published as the
 * tick's metrics (visible messages seen, workers started). The decision is returned for the local
 * runtime's tick log and the tests; AWS's scheduler discards it.
 */
export function createCronHandler(deps: CronDependencies) {
  return async (event: Pick<ScheduledEvent, 'id'>, context: Context): Promise<FanOutDecision> => {
    deps.log.addContext(context);
    const tickId = event.id ?? context.awsRequestId ?? `tick-${Date.now()}`;
    try {
      const decision = await fanOutTick(deps, tickId);
      deps.log.info('fan-out decision', { ...decision });
      deps.metrics.addMetric(pipelineMetrics.visibleMessages, 'Count', decision.visible);
      deps.metrics.addMetric(pipelineMetrics.workersStarted, 'Count', decision.published);
      deps.metrics.publishStoredMetrics();
      return decision;
    } catch (error) {
      // Failing loudly lets the schedule's retry and the error alarm do their work.
      deps.log.error('fan-out tick failed', { tickId, errorName: (error as Error).name, errorMessage: (error as Error).message });
      throw error;
    }
  };
}
