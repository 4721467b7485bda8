import { loopsOf } from './worker-start.js';

describe('loopsOf', () => {
  it('takes the loops test-cron asked for', () => {
    expect(loopsOf(JSON.stringify({ tickId: 't', worker: 1, workers: 2, loops: 3 }), 4)).toBe(3);
    expect(loopsOf(JSON.stringify({ tickId: 't', worker: 1, workers: 100, loops: 1 }), 4)).toBe(1);
  });

  it('never goes past the worker’s own most', () => {
    expect(loopsOf(JSON.stringify({ loops: 40 }), 4)).toBe(4);
  });

  it('falls back to the most when the notification does not say, or says nonsense', () => {
    for (const notification of [undefined, '', '{}', 'not json', 'null', '{"loops":0}', '{"loops":-2}', '{"loops":2.5}', '{"loops":"3"}']) {
      expect(loopsOf(notification, 4)).toBe(4);
    }
  });
});
