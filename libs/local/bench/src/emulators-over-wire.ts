import { emulatorClients, provisionResources, startEmulators, type ProvisionedResources, type RunningEmulators } from '@fanout/emulators';
import { startWireProxy, type WireProxy } from '@fanout/wire-proxy';
import { benchConditions } from './bench-conditions.js';

/** Fresh emulators with the pipeline's resources, and the bench's wire in front of each. */
export interface EmulatorsOverWire {
  emulators: RunningEmulators;
  resources: ProvisionedResources;
  /** Clients straight to the emulators: seeding, emptying and counting, outside what is measured. */
  direct: ReturnType<typeof emulatorClients>;
  /** Clients over the wire, as the functions talk to the emulators. */
  overWire: ReturnType<typeof emulatorClients>;
  wire: { sqs: WireProxy; dynamodb: WireProxy };
  stop(): Promise<void>;
}

/**
 * Starts emulators of their own, provisions the pipeline's queue and table, and puts the bench's wire
 * (benchConditions.wire: counted, short polls sampled) in front of each: what every raw drain that
 * stands beside the pipeline runs on, so that both sides pay the same wire.
 */
export async function startEmulatorsOverWire(): Promise<EmulatorsOverWire> {
  const emulators = await startEmulators();
  const proxies: WireProxy[] = [];
  const stop = async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await emulators.stop();
  };
  try {
    const direct = emulatorClients(emulators);
    const resources = await provisionResources(direct);
    const sqs = await startWireProxy({ target: emulators.sqs.endpoint, faults: benchConditions.wire });
    proxies.push(sqs);
    const dynamodb = await startWireProxy({ target: emulators.dynamodb.endpoint, faults: benchConditions.wire });
    proxies.push(dynamodb);
    return { emulators, resources, direct, overWire: emulatorClients({ sqs, dynamodb }), wire: { sqs, dynamodb }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
