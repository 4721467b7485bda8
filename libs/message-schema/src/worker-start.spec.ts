import { readWorkerStart } from './worker-start.js';

describe('readWorkerStart', () => {
  it('takes the loops test-cron asked for and what each can expect', () => {
    expect(readWorkerStart(JSON.stringify({ tickId: 't', worker: 1, workers: 2, loops: 3, expectedPerLoop: 17 }), 4)).toEqual({
      loops: 3,
      expectedPerLoop: 17,
    });
    expect(readWorkerStart(JSON.stringify({ tickId: 't', worker: 1, workers: 100, loops: 1, expectedPerLoop: 10 }), 4)).toEqual({
      loops: 1,
      expectedPerLoop: 10,
    });
  });

  it('never goes past the worker’s own most loops', () => {
    expect(readWorkerStart(JSON.stringify({ loops: 40, expectedPerLoop: 250 }), 4)).toEqual({ loops: 4, expectedPerLoop: 250 });
  });

  it('falls back to the most loops, expecting nothing in particular, when the notification does not say or says nonsense', () => {
    for (const notification of [undefined, '', '{}', 'not json', 'null', '7', '{"loops":0}', '{"loops":-2}', '{"loops":2.5}', '{"loops":"3"}']) {
      expect(readWorkerStart(notification, 4)).toEqual({ loops: 4, expectedPerLoop: undefined });
    }
  });

  it('keeps usable loops when the expectation is unusable, and the other way round', () => {
    expect(readWorkerStart('{"loops":2,"expectedPerLoop":0}', 4)).toEqual({ loops: 2, expectedPerLoop: undefined });
    expect(readWorkerStart('{"loops":2,"expectedPerLoop":"10"}', 4)).toEqual({ loops: 2, expectedPerLoop: undefined });
    expect(readWorkerStart('{"expectedPerLoop":12}', 4)).toEqual({ loops: 4, expectedPerLoop: 12 });
  });
});
