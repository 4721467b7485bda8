module.exports = {
  displayName: 'emulators',
  preset: '../../../jest.preset.js',
};
