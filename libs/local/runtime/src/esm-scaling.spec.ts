import { EsmScaling } from './esm-scaling.js';

const awsRule = { initialConcurrency: 5, scaleUpPerMinute: 300 };

describe('EsmScaling: a standard-mode event source mapping’s concurrency', () => {
  it('starts at 5 and adds 300 a minute while receives find messages', () => {
    // Prepare
    const scaling = new EsmScaling(awsRule, 1_250);
    // Act + Assess
    expect(scaling.concurrency).toBe(5);
    scaling.foundMessages(0);
    expect(scaling.concurrency).toBe(5);
    scaling.foundMessages(1_000);
    expect(scaling.concurrency).toBe(10);
    scaling.foundMessages(30_000);
    expect(scaling.concurrency).toBe(155);
    scaling.foundMessages(60_000);
    expect(scaling.concurrency).toBe(305);
  });

  it('never passes its maximum concurrency', () => {
    // Prepare
    const scaling = new EsmScaling(awsRule, 100);
    // Act
    scaling.foundMessages(0);
    scaling.foundMessages(10 * 60_000);
    // Assess
    expect(scaling.concurrency).toBe(100);
  });

  it('starts below 5 when fewer environments can run, as a local machine has', () => {
    expect(new EsmScaling(awsRule, 2).concurrency).toBe(2);
  });

  it('gives one back per empty receive, down to the initial 5, and grows again from then on', () => {
    // Prepare
    const scaling = new EsmScaling(awsRule, 1_250);
    scaling.foundMessages(0);
    scaling.foundMessages(2_000);
    expect(scaling.concurrency).toBe(15);
    // Act
    for (let i = 0; i < 3; i++) scaling.foundNothing();
    // Assess
    expect(scaling.concurrency).toBe(12);
    for (let i = 0; i < 20; i++) scaling.foundNothing();
    expect(scaling.concurrency).toBe(5);
    scaling.foundMessages(100_000);
    scaling.foundMessages(101_000);
    expect(scaling.concurrency).toBe(10);
  });

  it('with the pre-2023 rate of 60 a minute, needs about 20 minutes to reach 1,250', () => {
    // Prepare
    const scaling = new EsmScaling({ initialConcurrency: 5, scaleUpPerMinute: 60 }, 1_250);
    // Act
    let minute = 0;
    for (; scaling.concurrency < 1_250; minute++) scaling.foundMessages(minute * 60_000);
    // Assess
    expect(minute - 1).toBe(21);
  });
});
