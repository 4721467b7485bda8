import { medianOf } from './median.js';

describe('medianOf', () => {
  it('picks the middle value by its key, the lower middle for an even count', () => {
    // Prepare
    const drains = [{ drainMs: 30 }, { drainMs: 10 }, { drainMs: 50 }, { drainMs: 20 }, { drainMs: 40 }];
    // Act
    const odd = medianOf(drains, (drain) => drain.drainMs);
    const even = medianOf(drains.slice(0, 4), (drain) => drain.drainMs);
    // Assess
    expect([odd, even]).toEqual([{ drainMs: 30 }, { drainMs: 20 }]);
  });

  it('refuses an empty list, which has no median', () => {
    expect(() => medianOf([], (value: number) => value)).toThrow('medianOf needs at least one value.');
  });
});
