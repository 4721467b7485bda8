module.exports = {
  displayName: 'test-cron',
  preset: '../../jest.preset.js',
};
