/**
 * The run ids in a request body the API accepted: one message or an array of them. Lenient: a body
 * that is not JSON, or a message without a string `runId`, adds nothing.
 */
export function runIdsInBody(body: Buffer | string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch {
    return [];
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  const runIds = new Set<string>();
  for (const message of messages) {
    const runId = (message as { runId?: unknown } | null)?.runId;
    if (typeof runId === 'string' && runId.length > 0) runIds.add(runId);
  }
  return [...runIds];
}

/** The last `limit` run ids the runtime saw, the most recently posted first. */
export class RecentRuns {
  private readonly seen: string[] = [];

  constructor(private readonly limit = 10) {}

  get runIds(): readonly string[] {
    return this.seen;
  }

  /** Returns whether the list changed. */
  remember(runIds: readonly string[]): boolean {
    let changed = false;
    for (const runId of runIds) {
      if (this.seen[0] === runId) continue;
      const at = this.seen.indexOf(runId);
      if (at >= 0) this.seen.splice(at, 1);
      this.seen.unshift(runId);
      changed = true;
    }
    this.seen.splice(this.limit);
    return changed;
  }
}
