import { emptyRunSummary, type RunSummary } from './run-summary.js';
import { successorRun } from './successor-run.js';

function summary(overrides: Partial<RunSummary>): RunSummary {
  return { ...emptyRunSummary(), received: 5_000, loops: 4, ...overrides };
}

const deepQueue = { loops: 4, expectedMessages: undefined };

describe('successorRun', () => {
  it.each(['queue-empty', 'receive-budget', 'shed', 'batch-end'] as const)('starts none after a run that stopped for %s', (stoppedBecause) => {
    expect(successorRun(summary({ stoppedBecause }), deepQueue, 4)).toBeUndefined();
  });

  it('hands a run that spent its budget or its time over to one with the loops it kept', () => {
    // Act
    const afterBudget = successorRun(summary({ stoppedBecause: 'message-budget', loops: 4, sheds: 2 }), deepQueue, 4);
    const afterTime = successorRun(summary({ stoppedBecause: 'time-margin', loops: 3, sheds: 1 }), deepQueue, 4);
    // Assess
    expect(afterBudget).toEqual({ loops: 2 });
    expect(afterTime).toEqual({ loops: 2 });
  });

  it('gives the successor of a run that shed nothing one loop more, up to the most a run may have', () => {
    expect(successorRun(summary({ stoppedBecause: 'message-budget', loops: 2 }), deepQueue, 4)).toEqual({ loops: 3 });
    expect(successorRun(summary({ stoppedBecause: 'message-budget', loops: 4 }), deepQueue, 4)).toEqual({ loops: 4 });
  });

  it('starts none after a run that received all its start said to expect: the queue is likely empty', () => {
    expect(successorRun(summary({ stoppedBecause: 'message-budget', received: 5_000 }), { loops: 4, expectedMessages: 5_000 }, 4)).toBeUndefined();
    expect(successorRun(summary({ stoppedBecause: 'message-budget', received: 5_000 }), { loops: 4, expectedMessages: 9_000 }, 4)).toEqual({ loops: 4 });
  });
});
