module.exports = {
  displayName: 'function-host',
  preset: '../../../jest.preset.js',
};
