export { benchConditions, quickMeasuring, type MeasuringPlan } from './bench-conditions.js';
export { benchmarkDocument } from './benchmark-document.js';
export { bundleTable, depthSvg, limitTable, markdownTable, type BenchmarkResult, type BenchmarkRow } from './benchmark-report.js';
export type { BundleFigures } from './cold-starts.js';
export { startEmulatorsOverWire, type EmulatorsOverWire } from './emulators-over-wire.js';
export { runBenchmark, type BenchmarkOptions, type BenchmarkOutput } from './run-benchmark.js';
export { benchMessage, seedQueue } from './seed-queue.js';
export { runStrategy, type RunStrategyOptions, type RuntimeFiles, type StrategyRun } from './run-strategy.js';
export { strategies, type Strategy, type StrategyName } from './strategies.js';
