import { readRunShape, writeWorkerStart } from './worker-start.js';

describe('readRunShape', () => {
  it('takes the loops test-cron asked for and the messages the run can expect', () => {
    expect(readRunShape(JSON.stringify({ tickId: 't', worker: 1, workers: 2, loops: 3, expectedMessages: 50 }), 4)).toEqual({
      loops: 3,
      expectedMessages: 50,
    });
    expect(readRunShape(JSON.stringify({ tickId: 't', worker: 1, workers: 100, loops: 1, expectedMessages: 10 }), 4)).toEqual({
      loops: 1,
      expectedMessages: 10,
    });
  });

  it('never goes past the worker’s own most loops, and still expects what the run as a whole can expect', () => {
    expect(readRunShape(JSON.stringify({ loops: 40, expectedMessages: 10_000 }), 4)).toEqual({ loops: 4, expectedMessages: 10_000 });
  });

  it('falls back to the most loops, expecting nothing in particular, when the notification does not say or says nonsense', () => {
    for (const notification of [undefined, '', '{}', 'not json', 'null', '7', '{"loops":0}', '{"loops":-2}', '{"loops":2.5}', '{"loops":"3"}']) {
      expect(readRunShape(notification, 4)).toEqual({ loops: 4, expectedMessages: undefined });
    }
  });

  it('keeps usable loops when the expectation is unusable, and the other way round', () => {
    for (const expectedMessages of [0, -5, 2.5, '10', null]) {
      expect(readRunShape(JSON.stringify({ loops: 2, expectedMessages }), 4)).toEqual({ loops: 2, expectedMessages: undefined });
    }
    expect(readRunShape('{"expectedMessages":12}', 4)).toEqual({ loops: 4, expectedMessages: 12 });
  });
});

describe('writeWorkerStart', () => {
  it('writes the start test-sqs2ddb reads back', () => {
    // Prepare
    const start = { tickId: 'tick-1', worker: 2, workers: 3, loops: 4, expectedMessages: 37 };

    // Act
    const notification = writeWorkerStart(start);

    // Assess
    expect(JSON.parse(notification)).toEqual(start);
    expect(readRunShape(notification, 4)).toEqual({ loops: 4, expectedMessages: 37 });
  });

  it('refuses a start the schema does not accept, naming the field', () => {
    expect(() => writeWorkerStart({ tickId: 't', worker: 0, workers: 1, loops: 1, expectedMessages: 0 })).toThrow(/Expected >=1 but received 0/);
    expect(() => writeWorkerStart({ tickId: 't', worker: 1, workers: 1, loops: 1.5, expectedMessages: 0 })).toThrow(/integer/i);
  });
});
