module.exports = {
  displayName: 'wire-proxy',
  preset: '../../../jest.preset.js',
};
