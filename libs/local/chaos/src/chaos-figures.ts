import type { WorkerTrigger } from '@fanout/config';

/** What a chaos run found, counted from the table and the queues themselves. */
export interface ChaosFigures {
  /** What started the worker: test-cron's fan-out, or the event source mapping. */
  trigger: WorkerTrigger;
  messages: number;
  /** Good messages the API accepted (202), after client retries of 503s. */
  accepted: number;
  /** Poison messages sent straight to the queue. */
  poison: number;
  /** Distinct accepted messages found in the table. */
  written: number;
  /** Messages in the dead-letter queue. */
  inDeadLetterQueue: number;
  /** DLQ entries that were good messages: must be 0. */
  goodInDeadLetterQueue: number;
  /** Poison messages that never reached the DLQ: must be 0. */
  poisonNotInDeadLetterQueue: number;
  /** Accepted messages neither in the table nor in the DLQ: must be 0. */
  lost: number;
  /** Items beyond one per accepted message: must be 0. */
  duplicated: number;
  /** Items the table holds that no accepted message explains: must be 0. */
  unexpectedItems: number;
  /** Requests the API refused with 503 and the client retried. */
  clientRetries: number;
  faultsInjected: Record<string, number>;
  /**
   * Entries a fault failed that the workers (or, with esm, the mapping) sent again themselves, counted on the wire by fault
   * (WireCounts.resent): retries of runs that died later are in it.
   */
  resentByWorkers: Record<string, number>;
  /** Retries (writes and deletes) reported by the runs that finished; a killed or timed-out run reports none. */
  workerRetries: number;
  /** Worker invocations: fan-out runs, or the mapping's batches. */
  workerRuns: number;
  ticks: number;
  drainMs: number;
}

export interface ChaosCounts {
  accepted: Set<string>;
  poisonBodies: string[];
  /** key1 of every item in the table. */
  itemKeys: string[];
  deadLetterBodies: string[];
}

/** The verdict, computed from what is actually stored. */
export function countOutcome(counts: ChaosCounts): Pick<
  ChaosFigures,
  'written' | 'inDeadLetterQueue' | 'goodInDeadLetterQueue' | 'poisonNotInDeadLetterQueue' | 'lost' | 'duplicated' | 'unexpectedItems'
> {
  const perKey = new Map<string, number>();
  for (const key of counts.itemKeys) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  const poison = new Set(counts.poisonBodies);
  const deadGood = counts.deadLetterBodies.filter((body) => !poison.has(body));
  const deadGoodKeys = new Set(
    deadGood.flatMap((body) => {
      try {
        return [String(JSON.parse(body).key1)];
      } catch {
        return [];
      }
    }),
  );
  let written = 0;
  let lost = 0;
  let duplicated = 0;
  for (const key of counts.accepted) {
    const copies = perKey.get(key) ?? 0;
    if (copies > 0) written++;
    else if (!deadGoodKeys.has(key)) lost++;
    duplicated += Math.max(0, copies - 1);
  }
  const unexpectedItems = [...perKey.keys()].filter((key) => !counts.accepted.has(key)).length;
  const deadBodies = new Set(counts.deadLetterBodies);
  return {
    written,
    inDeadLetterQueue: counts.deadLetterBodies.length,
    goodInDeadLetterQueue: deadGood.length,
    poisonNotInDeadLetterQueue: counts.poisonBodies.filter((body) => !deadBodies.has(body)).length,
    lost,
    duplicated,
    unexpectedItems,
  };
}
