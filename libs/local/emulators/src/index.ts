export * from './start-emulators.js';
export * from './provision-resources.js';
export * from './emulator-clients.js';
