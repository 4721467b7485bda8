import { RecentRuns, runIdsInBody } from './recent-runs.js';

describe('runIdsInBody', () => {
  it('finds the run id of one message', () => {
    // Act
    const runIds = runIdsInBody(Buffer.from('{"key1":"a","key2":"b","key3":"c","runId":"burst-1"}'));

    // Assess
    expect(runIds).toEqual(['burst-1']);
  });

  it('finds each run id of a batch once, in order', () => {
    // Prepare
    const batch = [{ runId: 'a' }, { runId: 'b' }, { runId: 'a' }, { key1: 'no run' }, { runId: 'c' }];

    // Act
    const runIds = runIdsInBody(JSON.stringify(batch));

    // Assess
    expect(runIds).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['not JSON', '{"runId": "cut'],
    ['null', 'null'],
    ['a number', '42'],
    ['a run id that is not a string', '{"runId": 7}'],
    ['an empty run id', '{"runId": ""}'],
    ['an array of nulls', '[null, null]'],
  ])('finds nothing in %s', (_, body) => {
    // Act
    const runIds = runIdsInBody(body);

    // Assess
    expect(runIds).toEqual([]);
  });
});

describe('RecentRuns', () => {
  it('lists the most recently posted run first, once', () => {
    // Prepare
    const runs = new RecentRuns();

    // Act
    runs.remember(['first']);
    runs.remember(['second']);
    runs.remember(['first']);

    // Assess
    expect(runs.runIds).toEqual(['first', 'second']);
  });

  it('keeps only the last `limit` runs', () => {
    // Prepare
    const runs = new RecentRuns(3);

    // Act
    runs.remember(['r1', 'r2', 'r3', 'r4', 'r5']);

    // Assess
    expect(runs.runIds).toEqual(['r5', 'r4', 'r3']);
  });

  it('says whether the list changed', () => {
    // Prepare
    const runs = new RecentRuns();

    // Act
    const changes = [runs.remember(['a']), runs.remember(['a']), runs.remember([]), runs.remember(['b'])];

    // Assess
    expect(changes).toEqual([true, false, false, true]);
  });
});
