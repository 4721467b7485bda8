import { costUsd } from './cost.js';
import type { DrainMetrics } from './drain-metrics.js';
import type { DynamoTable } from './dynamodb-table.js';
import type { FunctionStats } from './lambda-service.js';
import type { SimulationParameters } from './parameters.js';
import type { SimulatedAws } from './simulated-aws.js';
import type { SimulationStrategyName } from './simulation-strategies.js';
import { MessageState, type SqsQueue } from './sqs-queue.js';
import { writeLimitMs } from './write-limit.js';

/** One strategy's figures, as `--json` prints them. */
export interface StrategyFigures {
  strategy: SimulationStrategyName;
  messages: number;
  /** First message sent → last item written; null when not every good message was written. */
  drainMs: number | null;
  /** First message sent → first tick (0 for the event source mapping). */
  tickWaitMs: number;
  firstWriteMs: number | null;
  /** Ticks up to the last item written (0 for the event source mapping). */
  ticks: number;
  /** Share of the messages written before the second tick; null for the event source mapping. */
  firstTickShare: number | null;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  peakConcurrency: number;
  coldStarts: number;
  invocations: number;
  requestsPerMessage: Record<string, number>;
  costPerMillionUsd: number;
  goodInDlq: number;
  duplicates: number;
  /** Good messages gone without an item: dropped by retention. */
  lost: number;
  /** How long writing all N items takes at the table's write capacity: the floor. */
  writeLimitMs: number;
  written: number;
  /** Good messages still on the queue when the simulation ended (past simulation.maxHours). */
  notDrained: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What became of the good messages: in the dead-letter queue, lost, or still on the queue unwritten. */
function messageOutcomes(queue: SqsQueue, metrics: DrainMetrics, good: (index: number) => boolean) {
  const outcomes = { goodMessages: 0, goodInDlq: 0, lost: 0, notDrained: 0 };
  for (let index = 0; index < metrics.messages; index++) {
    if (!good(index)) continue;
    outcomes.goodMessages++;
    const state = queue.stateOf(index);
    if (state === MessageState.deadLettered) outcomes.goodInDlq++;
    if ((metrics.writes[index] as number) > 0) continue;
    if (state === MessageState.visible || state === MessageState.inFlight || state === MessageState.notSent) outcomes.notDrained++;
    else if (state !== MessageState.deadLettered) outcomes.lost++;
  }
  return outcomes;
}

/** The figures of a finished simulation, from what its services and metrics counted. */
export function figuresOf(world: {
  strategy: SimulationStrategyName;
  scheduled: boolean;
  startedAt: number;
  parameters: SimulationParameters;
  queue: SqsQueue;
  table: DynamoTable;
  aws: SimulatedAws;
  metrics: DrainMetrics;
  good: (index: number) => boolean;
  worker: { stats: FunctionStats; memoryMb: number };
  cron?: { stats: FunctionStats; memoryMb: number };
}): StrategyFigures {
  const { metrics, queue, aws, parameters: p, startedAt } = world;
  const messages = metrics.messages;
  const { goodMessages, goodInDlq, lost, notDrained } = messageOutcomes(queue, metrics, world.good);
  const allWritten = metrics.written >= goodMessages && goodMessages > 0;
  const ticks = metrics.ticks;
  const lastWrite = metrics.lastFirstWriteAt;
  const functions = [world.worker, ...(world.cron ? [world.cron] : [])];
  const invocations = functions.reduce((sum, fn) => sum + fn.stats.invocations, 0);
  const cost = costUsd(
    {
      lambdaInvocations: invocations,
      lambdaMbMs: functions.reduce((sum, fn) => sum + fn.stats.billedMs * fn.memoryMb, 0),
      requests: aws.requests,
      snsPublishes: aws.snsPublishes,
      dynamodbWriteUnits: world.table.counts.writeUnits,
    },
    p,
  );
  const secondTick = ticks[1];
  let beforeSecondTick = 0;
  if (secondTick !== undefined) for (let i = 0; i < messages; i++) if ((metrics.writes[i] as number) > 0 && (metrics.firstWrittenAt[i] as number) < secondTick) beforeSecondTick++;
  return {
    strategy: world.strategy,
    messages,
    drainMs: allWritten ? Math.round(lastWrite - startedAt) : null,
    tickWaitMs: ticks[0] === undefined ? 0 : Math.round(ticks[0] - startedAt),
    firstWriteMs: metrics.written > 0 ? Math.round(metrics.firstWriteAt - startedAt) : null,
    ticks: world.scheduled ? ticks.filter((at) => at <= (allWritten ? lastWrite : Infinity)).length : 0,
    firstTickShare: world.scheduled ? round((secondTick === undefined ? metrics.written : beforeSecondTick) / messages, 4) : null,
    latencyMs: metrics.latencyPercentiles((index) => queue.sentAtOf(index), world.good),
    peakConcurrency: world.worker.stats.peakConcurrency,
    coldStarts: functions.reduce((sum, fn) => sum + fn.stats.coldStarts, 0),
    invocations,
    requestsPerMessage: Object.fromEntries(
      Object.entries(aws.requests)
        .filter(([, count]) => count > 0)
        .map(([api, count]) => [api, round(count / messages, 4)]),
    ),
    costPerMillionUsd: round((cost / messages) * 1e6, 2),
    goodInDlq,
    duplicates: metrics.duplicates(),
    lost,
    writeLimitMs: writeLimitMs(goodMessages, p),
    written: metrics.written,
    notDrained,
  };
}
