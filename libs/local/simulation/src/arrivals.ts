/** How the N messages arrive: all at once, or R a second (in steps of S seconds, 1 unless given). */
export type Arrival = { kind: 'burst' } | { kind: 'rate'; perSecond: number; stepSeconds: number };

export const arrivalHelp = 'burst (all N at once) or rate:R[:S] (R messages a second, arriving every S seconds, S = 1 unless given)';

/** `burst` or `rate:R[:S]`; undefined when the text is neither, or R or S is not a positive number. */
export function parseArrival(text: string): Arrival | undefined {
  if (text === 'burst') return { kind: 'burst' };
  const match = /^rate:(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/.exec(text);
  if (!match) return undefined;
  const perSecond = Number(match[1]);
  const stepSeconds = match[2] === undefined ? 1 : Number(match[2]);
  if (!(perSecond > 0) || !(stepSeconds > 0)) return undefined;
  return { kind: 'rate', perSecond, stepSeconds };
}

export function formatArrival(arrival: Arrival): string {
  return arrival.kind === 'burst' ? 'burst' : `rate:${arrival.perSecond}${arrival.stepSeconds === 1 ? '' : `:${arrival.stepSeconds}`}`;
}

/**
 * Puts the messages on the queue as the arrival says, through `send(first, count)` (producers'
 * SendMessageBatch calls: their time is not the drain's); `done` once the last has arrived.
 */
export function startArrivals(arrival: Arrival, messages: number, send: (first: number, count: number) => void, done: () => void): void {
  if (arrival.kind === 'burst') {
    send(0, messages);
    done();
    return;
  }
  const perStep = Math.max(1, Math.round(arrival.perSecond * arrival.stepSeconds));
  let sent = 0;
  const step = () => {
    const count = Math.min(perStep, messages - sent);
    send(sent, count);
    sent += count;
    if (sent < messages) setTimeout(step, arrival.stepSeconds * 1000);
    else done();
  };
  step();
}
