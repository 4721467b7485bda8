export { describeFaults, faultSpecHelp, FaultSpecError, noFaults, parseFaultSpec, seededRandom, type FaultSpec } from './fault-spec.js';
export { sampledReceiveCount, shortPollSampleShare } from './short-poll-model.js';
export type { WireCounts } from './wire-counts.js';
export { startWireProxy, type WireProxy, type WireProxyOptions } from './wire-proxy.js';
