import { formatDuration } from '../shared/burst-plan.js';
import type { BurstProgress } from './run-burst.js';

/** `posting   [##########----------]  500/1000  2.1 s` */
export function renderProgress(progress: BurstProgress, width = 30): string {
  const fraction = progress.total === 0 ? 1 : Math.min(1, Math.max(0, progress.done / progress.total));
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  return `${progress.phase.padEnd(9)} [${bar}]  ${progress.done}/${progress.total}  ${formatDuration(progress.elapsedMs)}`;
}

/**
 * One status line redrawn in place: only on a terminal, where `\r` and erase-line mean something. It
 * redraws at most every `minIntervalMs`, except when a phase starts or ends, so that a burst of 10,000
 * requests does not write 10,000 lines' worth to the terminal.
 */
export class ProgressLine {
  private drawn = false;
  private lastPhase: BurstProgress['phase'] | undefined;
  private lastDrawAt = -Infinity;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly now: () => number = Date.now,
    private readonly minIntervalMs = 100,
  ) {}

  update(progress: BurstProgress): void {
    const phaseChanged = progress.phase !== this.lastPhase;
    const phaseDone = progress.done >= progress.total;
    if (!phaseChanged && !phaseDone && this.now() - this.lastDrawAt < this.minIntervalMs) return;
    // Keep the finished posting bar on screen when draining starts.
    if (this.drawn && phaseChanged) this.stream.write('\n');
    this.stream.write(`\r${renderProgress(progress)}\x1b[K`);
    this.drawn = true;
    this.lastPhase = progress.phase;
    this.lastDrawAt = this.now();
  }

  /** Ends the line so that what follows starts on its own. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
