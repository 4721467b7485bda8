import { benchConditions, measureAgain, quickMeasuring, warmUpAgain, type MeasuringPlan } from './bench-conditions.js';

const plan: MeasuringPlan = { warmUpDrains: 3, warmUpForMs: 10_000, repeats: 5, maxRepeats: 8, measureForMs: 15_000, measuringBudgetMs: 60_000 };

describe('warmUpAgain', () => {
  it('runs warm-up drains up to their count while they have taken less than their time', () => {
    expect([0, 1, 2, 3].map((done) => warmUpAgain(done, 1_000, plan))).toEqual([true, true, true, false]);
    expect(warmUpAgain(1, 10_000, plan)).toBe(false);
  });

  it('always runs the first one, however slow a drain is, and none when the plan has none', () => {
    expect(warmUpAgain(0, 0, { ...plan, warmUpForMs: 0 })).toBe(true);
    expect(warmUpAgain(0, 0, { ...plan, warmUpDrains: 0 })).toBe(false);
  });
});

describe('measureAgain', () => {
  it('measures at least the repeats while the drains stay within the measuring budget', () => {
    expect([0, 1, 4].map((done) => measureAgain(done, 20_000, plan))).toEqual([true, true, true]);
    expect(measureAgain(4, plan.measuringBudgetMs, plan)).toBe(false);
  });

  it('measures short drains more, up to the most, while they have taken less than measureForMs', () => {
    expect([5, 6, 7].map((done) => measureAgain(done, 3_000, plan))).toEqual([true, true, true]);
    expect(measureAgain(8, 3_000, plan)).toBe(false);
    expect(measureAgain(5, plan.measureForMs, plan)).toBe(false);
  });

  it('always measures one drain, even of a configuration slower than the budget', () => {
    expect(measureAgain(0, 10 * plan.measuringBudgetMs, plan)).toBe(true);
    expect(measureAgain(1, plan.measuringBudgetMs, plan)).toBe(false);
  });
});

describe('the plans', () => {
  it('warm up and measure a quick look once, and a full run at least five times', () => {
    expect([quickMeasuring.warmUpDrains, quickMeasuring.repeats, quickMeasuring.maxRepeats]).toEqual([1, 1, 1]);
    expect(benchConditions.measuring.repeats).toBe(5);
    expect(benchConditions.measuring.maxRepeats).toBeGreaterThanOrEqual(benchConditions.measuring.repeats);
  });
});
