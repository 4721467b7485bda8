/**
 * What the wire proxy does to traffic. Written on the command line as comma-separated `name=value`
 * pairs, e.g. `--faults throttle=0.1,unprocessed=0.3,delete-failures=0.1,latency=5-20,resets=0.02,short-poll=aws,seed=7`.
 */
export interface FaultSpec {
  /** Share of BatchWriteItem calls refused with ProvisionedThroughputExceededException or ThrottlingException. */
  throttle: number;
  /** Share of BatchWriteItem calls that write only part of their items and return the rest in UnprocessedItems. */
  unprocessed: number;
  /** Share of DeleteMessageBatch entries that fail on the server's side (not deleted). */
  deleteFailures: number;
  /** Added latency per request, ms: a fixed value or a uniform range. */
  latencyMs: [number, number];
  /** Share of requests whose connection is reset before they reach the service (no side effect). */
  resets: number;
  /** Sample short polls (WaitTimeSeconds 0) as real SQS does, instead of the emulator's full answers. */
  shortPollSampling: boolean;
  /** Share of successful BatchWriteItem calls after which the calling function's environment is killed (before its delete). */
  killAfterWrite: number;
  /** Share of requests held until the calling invocation times out, then dropped unanswered. */
  stall: number;
  /** How long a stalled request is held, ms (longer than the function's timeout). */
  stallMs: number;
  /** Share of SendMessage/SendMessageBatch calls that fail on every SDK attempt (test-api answers 503). */
  sendFailures: number;
  /** Share of SNS notifications delivered to the worker twice (read by the local SNS bridge). */
  duplicateDeliveries: number;
  /** Seed of the fault dice, so a run can be repeated. */
  seed: number;
}

export const noFaults: FaultSpec = {
  throttle: 0,
  unprocessed: 0,
  deleteFailures: 0,
  latencyMs: [0, 0],
  resets: 0,
  shortPollSampling: false,
  killAfterWrite: 0,
  stall: 0,
  stallMs: 15_000,
  sendFailures: 0,
  duplicateDeliveries: 0,
  seed: 1,
};

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

export const faultSpecHelp =
  'throttle=SHARE, unprocessed=SHARE, delete-failures=SHARE, latency=MS or MIN-MAX, resets=SHARE, short-poll=aws, ' +
  'kill-after-write=SHARE, stall=SHARE, stall-ms=MS, send-failures=SHARE, duplicate-deliveries=SHARE, seed=N (SHARE is 0..1)';

/** The faults given as a share of calls, by their name on the command line. */
const shareFaults = {
  throttle: 'throttle',
  unprocessed: 'unprocessed',
  'delete-failures': 'deleteFailures',
  resets: 'resets',
  'kill-after-write': 'killAfterWrite',
  stall: 'stall',
  'send-failures': 'sendFailures',
  'duplicate-deliveries': 'duplicateDeliveries',
} as const satisfies Record<string, keyof FaultSpec>;

function isShareFault(name: string): name is keyof typeof shareFaults {
  return Object.hasOwn(shareFaults, name);
}

function share(name: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new FaultSpecError(`${name} must be a share between 0 and 1, got ${JSON.stringify(value)}.`);
  return n;
}

export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { ...noFaults, latencyMs: [0, 0] };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value = ''] = part.split('=', 2).map((p) => p.trim());
    if (isShareFault(name)) {
      spec[shareFaults[name]] = share(name, value);
      continue;
    }
    switch (name) {
      case 'stall-ms':
        if (!/^\d+$/.test(value)) throw new FaultSpecError(`stall-ms must be a whole number of milliseconds, got ${JSON.stringify(value)}.`);
        spec.stallMs = Number(value);
        break;
      case 'latency': {
        const match = /^(\d+)(?:-(\d+))?$/.exec(value);
        if (!match) throw new FaultSpecError(`latency must be MS or MIN-MAX in milliseconds, got ${JSON.stringify(value)}.`);
        const low = Number(match[1]);
        const high = match[2] === undefined ? low : Number(match[2]);
        if (high < low) throw new FaultSpecError(`latency range ${value} runs backwards.`);
        spec.latencyMs = [low, high];
        break;
      }
      case 'short-poll':
        if (value !== 'aws' && value !== 'emulator') throw new FaultSpecError(`short-poll must be aws or emulator, got ${JSON.stringify(value)}.`);
        spec.shortPollSampling = value === 'aws';
        break;
      case 'seed':
        if (!/^\d+$/.test(value)) throw new FaultSpecError(`seed must be a whole number, got ${JSON.stringify(value)}.`);
        spec.seed = Number(value);
        break;
      default:
        throw new FaultSpecError(`Unknown fault ${JSON.stringify(name)}; known: ${faultSpecHelp}.`);
    }
  }
  return spec;
}

/**
 * The faults a spec turns on, written as `--faults` takes them (parseFaultSpec reads it back), or ''
 * when it turns none on (the proxy only counts). The seed is left out: it changes no fault's share.
 */
export function describeFaults(spec: FaultSpec): string {
  const parts = Object.entries(shareFaults)
    .filter(([, key]) => spec[key] > 0)
    .map(([name, key]) => `${name}=${spec[key]}`);
  const [low, high] = spec.latencyMs;
  if (high > 0) parts.push(`latency=${low === high ? low : `${low}-${high}`}`);
  if (spec.shortPollSampling) parts.push('short-poll=aws');
  if (spec.stall > 0 && spec.stallMs !== noFaults.stallMs) parts.push(`stall-ms=${spec.stallMs}`);
  return parts.join(',');
}

/** A small seeded PRNG (mulberry32): the same seed gives the same faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
