// `npm start`: builds the local runtime and its functions, then runs it in this process (so that a
// terminal's Ctrl-C reaches it directly). Nx's build output goes to stderr, so that stdout carries
// only the runtime's own lines (`npm start -s -- --json | jq`). `--help` answers at once: the usage
// is bundled from the command line's source in memory, without building the functions.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

if (process.argv.includes('--help')) {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    entryPoints: [join(workspaceRoot, 'apps/local-runtime/src/cli-options.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
  });
  const { usage } = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const built = spawnSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'run', 'local-runtime:build', '--outputStyle=static'], {
  cwd: workspaceRoot,
  stdio: ['ignore', process.stderr, process.stderr],
});
if (built.status !== 0) {
  process.stderr.write(`The local runtime did not build (nx run local-runtime:build, output above); fix that, then run npm start again.\n`);
  process.exit(built.status ?? 1);
}
await import(pathToFileURL(join(workspaceRoot, 'dist/apps/local-runtime/main.js')).href);
