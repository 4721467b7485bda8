module.exports = {
  displayName: 'http-response',
  preset: '../../../jest.preset.js',
};
