import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { FunctionName } from '@fanout/config';

export class WorkspaceRootNotFoundError extends Error {
  constructor(readonly start: string) {
    super(`No nx.json found in ${start} or above it; run the CDK app from inside the workspace (infra/).`);
    this.name = 'WorkspaceRootNotFoundError';
  }
}

export class FunctionBuildMissingError extends Error {
  constructor(readonly project: FunctionName, readonly bundle: string) {
    super(
      `${bundle} is missing: build the functions first with \`npx nx run-many -t build\` ` +
        '(`npx nx run infra:synth` builds them for you).',
    );
    this.name = 'FunctionBuildMissingError';
  }
}

/** The folder holding nx.json, found upward from `start` (the CDK CLI and jest both run in infra/). */
export function findWorkspaceRoot(start: string = process.cwd()): string {
  let folder = resolve(start);
  while (!existsSync(join(folder, 'nx.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new WorkspaceRootNotFoundError(start);
    folder = parent;
  }
  return folder;
}

/** The folder @nx/esbuild writes a function to (`dist/apps/<project>/index.js`), checked to exist. */
export function functionBuildOutput(workspaceRoot: string, project: FunctionName): string {
  const folder = join(workspaceRoot, 'dist', 'apps', project);
  const bundle = join(folder, 'index.js');
  if (!existsSync(bundle)) throw new FunctionBuildMissingError(project, relative(workspaceRoot, bundle));
  return folder;
}
