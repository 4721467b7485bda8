const { readFileSync } = require('fs');

// Reading the SWC compilation config for the spec files
const swcJestConfig = JSON.parse(readFileSync(`${__dirname}/.spec.swcrc`, 'utf-8'));

// Disable .swcrc look-up by SWC core because we're passing in swcJestConfig ourselves
swcJestConfig.swcrc = false;

module.exports = {
  displayName: 'loadtest',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  // The shared burst plan is plain JavaScript (k6 imports it as is): SWC compiles it like the specs.
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', swcJestConfig],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  testPathIgnorePatterns: ['/node_modules/', '/out-tsc/'],
  coverageDirectory: 'test-output/jest/coverage',
};
