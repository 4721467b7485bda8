module.exports = {
  displayName: 'reliability-e2e',
  preset: '../../jest.preset.js',
  // The chaos run drains two thousand messages under faults, once per trigger, each within its own 180 s deadline.
  testTimeout: 240_000,
};
