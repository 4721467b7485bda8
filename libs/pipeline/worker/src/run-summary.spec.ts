import { emptyRunSummary, mergeSummaries, type RunSummary } from './run-summary.js';

function summary(overrides: Partial<RunSummary>): RunSummary {
  return { ...emptyRunSummary(), ...overrides };
}

describe('mergeSummaries', () => {
  it('adds up the counts of loops that ran side by side', () => {
    // Act
    const merged = mergeSummaries([
      summary({ received: 10, written: 9, invalid: 1, deleted: 8, deleteFailed: 1, receiveCalls: 2, writeCalls: 1, deleteCalls: 1, retries: 1 }),
      summary({ received: 5, written: 4, unwritten: 1, deleted: 4, receiveCalls: 3, writeCalls: 2, deleteCalls: 1, retries: 2 }),
    ]);

    // Assess
    expect(merged).toEqual(
      summary({ received: 15, written: 13, invalid: 1, deleted: 12, deleteFailed: 1, unwritten: 1, receiveCalls: 5, writeCalls: 3, deleteCalls: 2, retries: 3 }),
    );
  });

  it('reports the stop that says most: time over a budget, a budget over an empty queue', () => {
    const of = (...reasons: RunSummary['stoppedBecause'][]) => mergeSummaries(reasons.map((stoppedBecause) => summary({ stoppedBecause }))).stoppedBecause;
    expect(of('queue-empty', 'queue-empty')).toBe('queue-empty');
    expect(of('queue-empty', 'message-budget')).toBe('message-budget');
    expect(of('receive-budget', 'queue-empty')).toBe('receive-budget');
    expect(of('message-budget', 'time-margin', 'queue-empty')).toBe('time-margin');
  });

  it('refuses an empty list rather than invent a run', () => {
    expect(() => mergeSummaries([])).toThrow('at least one summary');
  });
});
