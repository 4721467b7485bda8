import { benchConditions, measureAgain } from './bench-conditions.js';

describe('measureAgain', () => {
  it('measures up to the repeats while the drains stay within the measuring budget', () => {
    expect([0, 1, 4].map((done) => measureAgain(done, 1_000, 5))).toEqual([true, true, true]);
    expect(measureAgain(5, 1_000, 5)).toBe(false);
  });

  it('stops a slow configuration once its drains have taken the budget, but always measures one', () => {
    expect(measureAgain(1, benchConditions.measuringBudgetMs, 5)).toBe(false);
    expect(measureAgain(0, 10 * benchConditions.measuringBudgetMs, 5)).toBe(true);
  });
});
