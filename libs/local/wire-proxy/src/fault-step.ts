import type { IncomingMessage, ServerResponse } from 'node:http';
import { seededRandom, type FaultSpec } from './fault-spec.js';
import type { WireTally } from './wire-counts.js';

/** A request as the proxy read it, before it goes on to the emulator. */
export interface ProxiedCall {
  request: IncomingMessage;
  response: ServerResponse;
  operation: string;
  body: Buffer;
  /** The JSON body, parsed once for whichever step reads it (a fault may rewrite the parsed copy). */
  json<T>(): T;
}

/** The faults in force and their seeded dice; setFaults replaces both. */
export class FaultDice {
  private current!: FaultSpec;
  private dice!: () => number;

  constructor(spec: FaultSpec) {
    this.set(spec);
  }

  get spec(): FaultSpec {
    return this.current;
  }

  set(spec: FaultSpec): void {
    this.current = spec;
    this.dice = seededRandom(spec.seed);
  }

  random(): number {
    return this.dice();
  }

  /** True with probability `share`; a share of 0 draws nothing, so that it leaves the other faults' draws as they were. */
  chance(share: number): boolean {
    return share > 0 && this.dice() < share;
  }
}

/** What a fault may use: the dice, the counts, and the emulator behind the proxy. */
export interface FaultContext {
  dice: FaultDice;
  tally: WireTally;
  target: URL;
}

/** One fault, applied to a request before it is forwarded. Returns true when it answered or dropped the request itself. */
export type FaultStep = (call: ProxiedCall, context: FaultContext) => boolean | Promise<boolean>;
