import { formatDuration } from './simulation-report.js';

export interface SimulationProgress {
  strategy: string;
  written: number;
  messages: number;
  virtualMs: number;
  realMs: number;
}

/** `fanout-drain  [##########----------]  500,000/1,000,000 written  8 min 20 s simulated in 41.0 s` */
export function renderProgress(progress: SimulationProgress, width = 24): string {
  const fraction = progress.messages === 0 ? 1 : Math.min(1, progress.written / progress.messages);
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  return `${progress.strategy.padEnd(16)}[${bar}]  ${progress.written.toLocaleString('en-US')}/${progress.messages.toLocaleString('en-US')} written  ${formatDuration(progress.virtualMs)} simulated in ${formatDuration(progress.realMs)}`;
}

/**
 * The progress bar on a terminal, redrawn in place at most every `minIntervalMs` of real time;
 * nothing when the stream is not a terminal (a log or a pipe).
 */
export class ProgressBar {
  private drawnAt = -Infinity;

  constructor(
    private readonly stream: { isTTY?: boolean; write(text: string): unknown },
    private readonly minIntervalMs = 200,
  ) {}

  update(progress: SimulationProgress): void {
    if (!this.stream.isTTY || progress.realMs - this.drawnAt < this.minIntervalMs) return;
    this.stream.write(`\r${renderProgress(progress)}\x1b[K`);
    this.drawnAt = progress.realMs;
  }

  /** Leaves the last state of the bar on its own line. */
  finish(progress: SimulationProgress): void {
    if (!this.stream.isTTY) return;
    this.stream.write(`\r${renderProgress(progress)}\x1b[K\n`);
    this.drawnAt = -Infinity;
  }
}
