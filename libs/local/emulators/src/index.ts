export { DataDirError, prepareDataDir, type DataDirLayout } from './data-dir.js';
export { emulatorClients, type EmulatorEndpoints } from './emulator-clients.js';
export {
  emptyTable,
  provisionResources,
  subscribeQueueToTopic,
  type ProvisionClients,
  type ProvisionedResources,
  type ResourceOverrides,
} from './provision-resources.js';
export {
  EmulatorStartError,
  PortInUseError,
  startEmulators,
  type EmulatorOptions,
  type RunningEmulator,
  type RunningEmulators,
} from './start-emulators.js';
