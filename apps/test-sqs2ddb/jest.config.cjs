module.exports = {
  displayName: 'test-sqs2ddb',
  preset: '../../jest.preset.js',
};
