import type { RunningEmulators } from '@fanout/emulators';
import { startWireProxy, type FaultSpec, type WireProxy } from '@fanout/wire-proxy';

/** The wire proxies between the functions and the emulators, one per emulator. */
export interface FaultWire {
  sqs: WireProxy;
  dynamodb: WireProxy;
}

/**
 * Starts a wire proxy in front of each emulator, injecting `faults`. `killEnvironment` ends the
 * execution environment a kill-after-write fault names (DynamoDB's writes are the ones it follows).
 */
export async function startFaultWire(
  emulators: RunningEmulators,
  faults: FaultSpec,
  host: string,
  killEnvironment: (tag: string) => boolean,
): Promise<FaultWire> {
  const [sqs, dynamodb] = await Promise.all([
    startWireProxy({ target: emulators.sqs.endpoint, faults, host }),
    startWireProxy({ target: emulators.dynamodb.endpoint, faults, host, killEnvironment }),
  ]);
  return { sqs, dynamodb };
}

export async function stopFaultWire(wire: FaultWire): Promise<void> {
  await Promise.all([wire.sqs.stop(), wire.dynamodb.stop()]);
}

/** The endpoints the functions' SDK clients use: the emulators', or the wire's in front of them. */
export function functionEndpoints(emulators: RunningEmulators, wire: FaultWire | undefined): Record<string, string> {
  if (!wire) return emulators.environment;
  return {
    ...emulators.environment,
    AWS_ENDPOINT_URL_SQS: wire.sqs.endpoint,
    AWS_ENDPOINT_URL_SNS: wire.sqs.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: wire.dynamodb.endpoint,
  };
}
