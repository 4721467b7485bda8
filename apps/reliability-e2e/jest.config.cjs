module.exports = {
  displayName: 'reliability-e2e',
  preset: '../../jest.preset.js',
  // The chaos run drains two thousand messages under faults: under a minute here.
  testTimeout: 240_000,
};
