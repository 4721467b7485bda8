module.exports = {
  displayName: 'infra',
  preset: '../jest.preset.js',
  // Each suite synthesizes the stack once in beforeAll: a few seconds, more than jest's 5 s default.
  testTimeout: 60_000,
};
