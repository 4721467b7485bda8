module.exports = {
  displayName: 'loadtest',
  preset: '../jest.preset.js',
  // tsc's output (out-tsc) holds compiled copies of the specs, not specs to run.
  testPathIgnorePatterns: ['/node_modules/', '/out-tsc/'],
};
