// The command cdk.json runs. Node's type stripping cannot follow the workspace's `./x.js` imports of
// TypeScript files and ts-node fails under TypeScript 6, so esbuild bundles src/main.ts (with the workspace libs it imports) into one CommonJS file first;
// aws-cdk-lib, constructs and cdk-nag stay external and load from node_modules.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const outfile = fileURLToPath(new URL('../dist/infra/main.cjs', import.meta.url));

await build({
  entryPoints: [fileURLToPath(new URL('src/main.ts', import.meta.url))],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  external: ['aws-cdk-lib', 'constructs', 'cdk-nag'],
  sourcemap: true,
  logLevel: 'warning',
});

process.setSourceMapsEnabled(true);
createRequire(import.meta.url)(outfile);
