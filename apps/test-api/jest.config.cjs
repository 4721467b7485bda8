module.exports = {
  displayName: 'test-api',
  preset: '../../jest.preset.js',
};
