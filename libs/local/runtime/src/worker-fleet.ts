import { availableParallelism } from 'node:os';
import { workerConfig } from '@fanout/config';
import { localRuntimeConfig } from './local-runtime-config.js';

/** Worker environments the runtime runs at once unless told otherwise: one per core, at most localRuntimeConfig.maxWorkerConcurrency. */
export function defaultWorkerConcurrency(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(localRuntimeConfig.maxWorkerConcurrency, cores));
}

/** The most drain loops a local worker run uses: its environments' share of localRuntimeConfig.sharedDrainLoops. */
export function localLoopsPerRun(workerConcurrency: number): number {
  return Math.max(workerConfig.receiveLoops, Math.ceil(localRuntimeConfig.sharedDrainLoops / Math.max(1, workerConcurrency)));
}
