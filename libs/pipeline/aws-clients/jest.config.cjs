module.exports = {
  displayName: 'aws-clients',
  preset: '../../../jest.preset.js',
};
