import { countOutcome, type ChaosCounts } from './chaos-figures.js';

const good = (key1: string) => JSON.stringify({ key1, key2: 'b', key3: 'c', runId: 'chaos' });

function counts(overrides: Partial<ChaosCounts> = {}): ChaosCounts {
  return {
    accepted: new Set(['m-0', 'm-1', 'm-2']),
    poisonBodies: ['not json at all #0', '["poison-1"]'],
    itemKeys: ['m-0', 'm-1', 'm-2'],
    deadLetterBodies: ['not json at all #0', '["poison-1"]'],
    ...overrides,
  };
}

describe('countOutcome', () => {
  it('finds nothing wrong when every accepted message has one item and every poison body is in the DLQ', () => {
    expect(countOutcome(counts())).toEqual({
      written: 3,
      inDeadLetterQueue: 2,
      goodInDeadLetterQueue: 0,
      poisonNotInDeadLetterQueue: 0,
      lost: 0,
      duplicated: 0,
      unexpectedItems: 0,
    });
  });

  it('counts an accepted message with no item and not in the DLQ as lost', () => {
    // Act
    const outcome = countOutcome(counts({ itemKeys: ['m-0', 'm-2'] }));
    // Assess
    expect(outcome).toMatchObject({ written: 2, lost: 1, duplicated: 0, goodInDeadLetterQueue: 0 });
  });

  it('counts every item beyond the first for a message as duplicated', () => {
    // Act
    const outcome = countOutcome(counts({ itemKeys: ['m-0', 'm-1', 'm-0', 'm-2', 'm-0'] }));
    // Assess
    expect(outcome).toMatchObject({ written: 3, duplicated: 2, lost: 0, unexpectedItems: 0 });
  });

  it('counts a good message in the DLQ as goodInDeadLetterQueue, not as lost', () => {
    // Act
    const outcome = countOutcome(counts({ itemKeys: ['m-0', 'm-2'], deadLetterBodies: ['not json at all #0', good('m-1'), '["poison-1"]'] }));
    // Assess
    expect(outcome).toMatchObject({ written: 2, lost: 0, inDeadLetterQueue: 3, goodInDeadLetterQueue: 1, poisonNotInDeadLetterQueue: 0 });
  });

  it('counts a poison body missing from the DLQ', () => {
    // Act
    const outcome = countOutcome(counts({ deadLetterBodies: ['["poison-1"]'] }));
    // Assess
    expect(outcome).toMatchObject({ inDeadLetterQueue: 1, poisonNotInDeadLetterQueue: 1, goodInDeadLetterQueue: 0, lost: 0 });
  });

  it('counts an item no accepted message explains as unexpected, once per key', () => {
    // Act
    const outcome = countOutcome(counts({ itemKeys: ['m-0', 'm-1', 'm-2', 'poison-3', 'poison-3', 'rejected-by-api'] }));
    // Assess
    expect(outcome).toMatchObject({ written: 3, unexpectedItems: 2, duplicated: 0 });
  });

  it('counts a DLQ entry that is neither poison nor readable as a good message in the DLQ, without crashing', () => {
    // Act
    const outcome = countOutcome(counts({ deadLetterBodies: ['not json at all #0', '["poison-1"]', 'null', '{broken'] }));
    // Assess
    expect(outcome).toMatchObject({ goodInDeadLetterQueue: 2, lost: 0, written: 3 });
  });

  it('reports every kind of trouble at once', () => {
    // Prepare
    const trouble = counts({
      accepted: new Set(['m-0', 'm-1', 'm-2', 'm-3', 'm-4']),
      itemKeys: ['m-0', 'm-0', 'm-2', 'stranger'],
      deadLetterBodies: [good('m-3'), '["poison-1"]'],
    });
    // Act
    const outcome = countOutcome(trouble);
    // Assess
    expect(outcome).toEqual({
      written: 2,
      inDeadLetterQueue: 2,
      goodInDeadLetterQueue: 1,
      poisonNotInDeadLetterQueue: 1,
      lost: 2,
      duplicated: 1,
      unexpectedItems: 1,
    });
  });
});
