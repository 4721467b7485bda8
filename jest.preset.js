const { readFileSync } = require('fs');
const nxPreset = require('@nx/jest/preset').default;

// Every project's specs compile with one SWC config, passed in whole (no .swcrc look-up).
const swcJestConfig = { ...JSON.parse(readFileSync(`${__dirname}/.spec.swcrc`, 'utf-8')), swcrc: false };

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', swcJestConfig] },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: 'test-output/jest/coverage',
};
