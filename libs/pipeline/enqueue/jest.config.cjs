module.exports = {
  displayName: 'enqueue',
  preset: '../../../jest.preset.js',
};
