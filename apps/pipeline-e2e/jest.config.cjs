module.exports = {
  displayName: 'pipeline-e2e',
  preset: '../../jest.preset.js',
  // Real emulators and visibility timeouts: whole runs take seconds, not milliseconds.
  testTimeout: 60_000,
};
