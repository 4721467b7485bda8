import { readdirSync, readFileSync } from 'node:fs';

/** The process `pid` and every process below it (the runtime and its emulator children), from /proc. */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, …
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(ppid));
    } catch {
      // The process ended while the list was read.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** Resident memory of `pid` and every process below it, in MB. */
export function treeRssMb(pid: number): number {
  let kilobytes = 0;
  for (const member of processTree(pid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      if (match) kilobytes += Number(match[1]);
    } catch {
      // Ended meanwhile: it holds no memory any more.
    }
  }
  return kilobytes / 1024;
}

/** Samples the tree's resident memory every `everyMs` until stopped; `stop` returns the highest sample. */
export function samplePeakRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = treeRssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, treeRssMb(pid));
    },
  };
}
