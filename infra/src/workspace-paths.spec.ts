import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionBuildMissingError, WorkspaceRootNotFoundError, findWorkspaceRoot, functionBuildOutput } from './workspace-paths.js';

function emptyWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'fanout-infra-'));
  writeFileSync(join(root, 'nx.json'), '{}');
  return root;
}

describe('findWorkspaceRoot', () => {
  it('finds the folder holding nx.json from any folder below it', () => {
    const root = emptyWorkspace();
    mkdirSync(join(root, 'infra', 'src'), { recursive: true });
    expect(findWorkspaceRoot(join(root, 'infra', 'src'))).toBe(root);
  });

  it('says to run from inside the workspace when there is none', () => {
    expect(() => findWorkspaceRoot(tmpdir())).toThrow(WorkspaceRootNotFoundError);
  });
});

describe('functionBuildOutput', () => {
  it('gives the folder of a built function', () => {
    const root = emptyWorkspace();
    mkdirSync(join(root, 'dist', 'apps', 'test-api'), { recursive: true });
    writeFileSync(join(root, 'dist', 'apps', 'test-api', 'index.js'), 'exports.handler = async () => ({});');
    expect(functionBuildOutput(root, 'test-api')).toBe(join(root, 'dist', 'apps', 'test-api'));
  });

  it('says which bundle is missing and which command builds it', () => {
    const root = emptyWorkspace();
    const read = () => functionBuildOutput(root, 'test-cron');
    expect(read).toThrow(FunctionBuildMissingError);
    expect(read).toThrow('dist/apps/test-cron/index.js is missing: build the functions first with `npx nx run-many -t build`');
  });
});
