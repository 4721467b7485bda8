import { recordingLogger } from './recording-logger.js';

describe('recordingLogger', () => {
  it('keeps each line as its level, message and attributes, as Powertools prints them', () => {
    // Prepare
    const { log, lines } = recordingLogger();

    // Act
    log.info('request handled', { statusCode: 202 }, { enqueued: 1 });
    log.error({ message: 'SQS refused the request', errorName: 'TimeoutError' });
    log.warn('odd', 'a string attribute');

    // Assess
    expect(lines).toEqual([
      { level: 'info', message: 'request handled', statusCode: 202, enqueued: 1 },
      { level: 'error', message: 'SQS refused the request' },
      { level: 'warn', message: 'odd', extra: 'a string attribute' },
    ]);
  });
});
