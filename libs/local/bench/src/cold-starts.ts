import { performance } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { functionNames, type FunctionName } from '@fanout/config';
import { startLocalPipeline } from '@fanout/runtime';
import type { RuntimeFiles } from './run-strategy.js';

export interface BundleFigures {
  name: FunctionName;
  bytes: number;
  gzipBytes: number;
  /** A fresh execution environment: start the thread, load the bundle, finish a first invocation. */
  coldStartMs: number;
  /** The same invocation again in the now warm environment. */
  warmMs: number;
}

function sampleEvent(name: FunctionName): unknown {
  switch (name) {
    case 'test-api':
      return {
        httpMethod: 'POST',
        path: '/messages',
        resource: '/messages',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key1: 'a', key2: 'b', key3: 'c', runId: 'cold-start' }),
        isBase64Encoded: false,
      };
    case 'test-cron':
      return { id: 'cold-start', 'detail-type': 'Scheduled Event', source: 'aws.events' };
    case 'test-sqs2ddb':
      return { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'cold-start', Message: '{}' } }] };
    case 'run-status-api':
      return { httpMethod: 'GET', path: '/runs/cold-start', resource: '/runs/{runId}', pathParameters: { runId: 'cold-start' }, headers: {} };
  }
}

/** Each function's bundle size and cold start, measured on a fresh local pipeline. */
export async function measureBundles(files: RuntimeFiles): Promise<BundleFigures[]> {
  const pipeline = await startLocalPipeline({
    port: 0,
    sqsPort: 0,
    dynamodbPort: 0,
    tickEveryMs: 0,
    environmentOverrides: { receiveWaitSeconds: 0 },
    ...files,
  });
  try {
    const figures: BundleFigures[] = [];
    for (const name of functionNames) {
      const path = join(files.functionsDir, name, 'index.js');
      const started = performance.now();
      await pipeline.hosts[name].invoke(sampleEvent(name));
      const coldStartMs = performance.now() - started;
      const warmStarted = performance.now();
      await pipeline.hosts[name].invoke(sampleEvent(name));
      figures.push({
        name,
        bytes: statSync(path).size,
        gzipBytes: gzipSync(readFileSync(path)).length,
        coldStartMs,
        warmMs: performance.now() - warmStarted,
      });
    }
    return figures;
  } finally {
    await pipeline.stop();
  }
}
