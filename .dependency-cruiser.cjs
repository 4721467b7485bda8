/**
 * No import cycles between files, type-only imports included (`npm test` runs this before the
 * projects' targets; module boundaries between projects are @nx/enforce-module-boundaries' job).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Two files that import each other, directly or through others: move what both need into a file of its own.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)(dist|out-tsc|cdk\\.out|node_modules)/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      conditionNames: ['@fanout/source', 'import', 'require', 'node', 'default'],
    },
  },
};
