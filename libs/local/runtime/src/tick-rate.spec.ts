import { parseRate } from './tick-rate.js';

describe('parseRate', () => {
  it.each([
    ['10s', 10_000],
    ['2s', 2_000],
    ['2.5s', 2_500],
    ['500ms', 500],
    ['100ms', 100],
    ['5m', 300_000],
    ['0.5m', 30_000],
  ])('reads %s as %i ms', (rate, expected) => {
    // Prepare
    const input = rate;

    // Act
    const ms = parseRate(input);

    // Assess
    expect(ms).toBe(expected);
  });

  it.each(['off', '0'])('turns the schedule off for %s', (rate) => {
    // Prepare
    const input = rate;

    // Act
    const ms = parseRate(input);

    // Assess
    expect(ms).toBe(0);
  });

  it.each(['fast', '10', '10h', '-5s', 's', '1,5s', ''])('refuses %j and says which durations it accepts', (rate) => {
    // Prepare
    const input = rate;

    // Act
    const parse = () => parseRate(input);

    // Assess
    expect(parse).toThrow(`Rate ${JSON.stringify(rate)} is not a duration such as 10s, 500ms or 5m (or off).`);
  });

  it('refuses a rate under 100ms and names the floor', () => {
    // Prepare
    const input = '50ms';

    // Act
    const parse = () => parseRate(input);

    // Assess
    expect(parse).toThrow('Rate 50ms is under 100ms; the scheduler would only thrash.');
  });
});
