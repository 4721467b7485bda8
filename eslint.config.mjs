import nx from '@nx/eslint-plugin';

// Packages that only run the pipeline here or test it: what ships to Lambda must never import them.
const localOnlyPackages = [
  'fauxqs',
  'dynalite',
  'aws-sdk-client-mock',
  'playwright-core',
  '@sinonjs/fake-timers',
  'aws-cdk-lib',
  'aws-cdk',
  'constructs',
  'cdk-nag',
  'jest',
  '@jest/*',
];

// Spec files and their helpers may also use the shared test factories (scope:testing) and the
// test packages; nothing else in a shipped project may.
const specFiles = ['**/*.spec.ts', '**/testing/**', '**/*.testing.ts', '**/jest.config.*'];

/**
 * The architecture as rules: apps depend on libs, never the reverse; what ships to Lambda
 * (scope:pipeline: the four functions and their libs) imports only what ships; infra deploys only
 * what ships; the local runtime, the benchmark and the tests (scope:local) may use both.
 */
function dependencyRules({ inSpecs }) {
  const shipped = inSpecs ? ['scope:pipeline', 'scope:testing'] : ['scope:pipeline'];
  return [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:loadtest', onlyDependOnLibsWithTags: ['type:lib'] },
    {
      sourceTag: 'scope:pipeline',
      onlyDependOnLibsWithTags: shipped,
      ...(inSpecs ? {} : { bannedExternalImports: localOnlyPackages }),
    },
    { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: shipped },
    { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:pipeline', 'scope:testing'] },
    { sourceTag: 'scope:local', onlyDependOnLibsWithTags: ['scope:pipeline', 'scope:local', 'scope:testing'] },
  ];
}

function boundaries({ inSpecs }) {
  return {
    '@nx/enforce-module-boundaries': [
      'error',
      {
        enforceBuildableLibDependency: true,
        allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
        depConstraints: dependencyRules({ inSpecs }),
      },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/cdk.out', '**/test-output', '**/coverage'],
  },
  { files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'], rules: boundaries({ inSpecs: false }) },
  { files: specFiles, rules: boundaries({ inSpecs: true }) },
];
