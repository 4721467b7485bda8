/** Parses a rate such as `10s`, `2s`, `500ms`, `5m`; `0` or `off` turns the schedule off. */
export function parseRate(rate: string): number {
  if (rate === '0' || rate === 'off') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(rate.trim());
  if (!match) throw new Error(`Rate ${JSON.stringify(rate)} is not a duration such as 10s, 500ms or 5m (or off).`);
  const value = Number(match[1]);
  const ms = match[2] === 'ms' ? value : match[2] === 's' ? value * 1_000 : value * 60_000;
  if (ms < 100) throw new Error(`Rate ${rate} is under 100ms; the scheduler would only thrash.`);
  return ms;
}
