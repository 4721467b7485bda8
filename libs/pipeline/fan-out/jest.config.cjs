module.exports = {
  displayName: 'fan-out',
  preset: '../../../jest.preset.js',
};
