module.exports = {
  displayName: 'runtime-process',
  preset: '../../../jest.preset.js',
};
