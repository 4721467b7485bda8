import { lambdaContext } from './lambda-context.js';

describe('lambdaContext', () => {
  it('counts the time left down from the timeout it was given', () => {
    // Prepare
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    const context = lambdaContext(10_000, 'req-1');

    // Act
    jest.advanceTimersByTime(2_500);

    // Assess
    expect(context.awsRequestId).toBe('req-1');
    expect(context.getRemainingTimeInMillis()).toBe(7_500);
    jest.useRealTimers();
  });
});
