import { predictionMeasuring, predictLocalBench } from '@fanout/simulation';
import { builtRuntimeFiles as files } from './testing/local-runtime-process.js';

/**
 * Item 5 of #16: with this machine's measured parameters the simulation predicts the local bench's
 * fanout-drain and fanout rows. The bench measures (the built bundles on the local runtime, as
 * `npm run bench`), the simulation predicts from inputs measured in this same test, at the CPU scale
 * measured right beside each drain; both are medians (here of 5 to 7 drains and 3 seeds; the study's of 9 to 11 and 5).
 *
 * The issue's ±25 % is a benchmark's figure: `npm run simulate -- --docs docs` measures it on a quiet
 * machine and docs/scale.md shows each ratio (1.14 / 1.06 / 1.00 / 1.02 there). Here, inside `npm
 * test`, other suites share the two cores, and a drain of 100 then varies by ±30 % and more between
 * runs (an earlier model measured 0.69–2.09 at a load of 4 to 17; with two busy loops beside it this
 * one's rows came out at 0.85 to 1.95). What this test holds to is what no load explains: a model whose
 * units or rules were wrong (a call's latency counted per message, the SNS bridge's rounds missing, a
 * tick's start left out) is off by 3× or more, so each ratio must lie within 1/3 and 3.
 */
describe('the simulation predicts the local bench', () => {
  it('predicts fanout-drain and fanout at N = 100 and 1,000 within a factor of 3 of the bench\'s medians', async () => {
    // Act: at most a minute's wait per case for a quieter machine (the tests beside it take longer),
    // and fewer drains than the study's, enough for a median within the bound
    const { predictions } = await predictLocalBench(
      files,
      [
        { strategy: 'fanout-drain', messages: 100 },
        { strategy: 'fanout-drain', messages: 1_000 },
        { strategy: 'fanout', messages: 100 },
        { strategy: 'fanout', messages: 1_000 },
      ],
      { quietWaitMs: 60_000, measuring: { ...predictionMeasuring, repeats: 5, maxRepeats: 7, measuringBudgetMs: 45_000, seeds: 3 } },
    );

    // Assess
    const outside = predictions.filter((prediction) => prediction.ratio < 1 / 3 || prediction.ratio > 3);
    expect(predictions).toHaveLength(4);
    expect(outside.map((p) => `${p.strategy} at ${p.messages}: bench ${p.benchMs} ms, simulated ${p.predictedMs} ms`)).toEqual([]);
  }, 900_000);
});
