import { releaseDelaySeconds } from './release-delay.js';

describe('releaseDelaySeconds', () => {
  it.each([
    // receive count, seconds before the message is visible again
    [1, 0],
    [2, 30],
    [3, 60],
    [4, 120],
    [5, 240],
    [6, 360],
    [20, 360],
  ])('gives a message received %i times back after %i s (never later than the 360 s timeout)', (receiveCount, seconds) => {
    expect(releaseDelaySeconds(receiveCount, 360, 30)).toBe(seconds);
  });
});
