import { createServer } from 'node:net';

/** A port the local pipeline listens on, and what for. */
export interface PortClaim {
  service: 'API' | 'SQS/SNS' | 'DynamoDB';
  /** 0: any free port, never busy. */
  port: number;
}

/** Ports other programs hold: every one of them, so that one message names every flag to change. */
export class PortsInUseError extends Error {
  constructor(readonly busy: PortClaim[]) {
    super(`Already in use: ${busy.map(({ service, port }) => `port ${port} (${service})`).join(', ')}.`);
    this.name = 'PortsInUseError';
  }
}

function isTaken(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    // Any other failure (a port below 1024, say) is left for the real listen to report.
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/** Throws {@link PortsInUseError} naming every claimed port that another program holds on `host`. */
export async function ensurePortsFree(host: string, claims: PortClaim[]): Promise<void> {
  const wanted = claims.filter((claim) => claim.port !== 0);
  const taken = await Promise.all(wanted.map((claim) => isTaken(claim.port, host)));
  const busy = wanted.filter((_, index) => taken[index]);
  if (busy.length > 0) throw new PortsInUseError(busy);
}
