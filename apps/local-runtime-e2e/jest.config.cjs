module.exports = {
  displayName: 'local-runtime-e2e',
  preset: '../../jest.preset.js',
  // Whole pipelines boot and drain here: seconds, not milliseconds.
  testTimeout: 90_000,
};
