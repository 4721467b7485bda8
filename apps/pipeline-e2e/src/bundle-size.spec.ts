import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { functionNames } from '@fanout/config';

const distFolder = resolve(__dirname, '../../../dist/apps');
/** #18: what a function's bundle may weigh, minified. The bundles stand at 238–339 KB (docs/benchmarks.md). */
const maxBundleBytes = 350_000;

describe('the built function bundles', () => {
  it.each(functionNames)('%s is one function file of at most 350 KB', (name) => {
    // Prepare
    const folder = resolve(distFolder, name);

    // Act
    const files = readdirSync(folder).filter((file) => file.endsWith('.js'));
    const bytes = statSync(resolve(folder, 'index.js')).size;

    // Assess
    expect(files).toEqual(['index.js']);
    expect(bytes).toBeLessThanOrEqual(maxBundleBytes);
  });
});
