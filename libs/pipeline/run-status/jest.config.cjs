module.exports = {
  displayName: 'run-status',
  preset: '../../../jest.preset.js',
};
