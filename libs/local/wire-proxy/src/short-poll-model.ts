/**
 * Real SQS short polling: a receive with WaitTimeSeconds 0 queries a weighted random subset of the
 * SQS servers and returns only what those hold, so with fewer than ~1,000 messages it most likely
 * returns fewer than asked for, sometimes none (AWS docs). Modelled as: each visible message sits on
 * one server, and a short poll sees about a fifth of them, so it finds each message with probability
 * 0.2 and returns min(requested, found). With 10 one-shot receives over 100 messages this gives ≈ 83
 * of 100, the original design's "about 80 of 100 in the first tick"; from a few hundred messages on,
 * it fills every receive, as AWS describes.
 */
export const shortPollSampleShare = 0.2;

export const shortPollModel = {
  /**
   * A depth read is reused for this long while it was at least `reuseDepthFrom`. Draining at
   * 5,000 msg/s, 500 messages are at least 250 after 50 ms, and a short poll over 250 finds fewer
   * than 10 with a probability below 1e-9: reusing the read changes no answer, it saves a request
   * to the emulator on every short poll of a deep queue.
   */
  reuseDepthFrom: 500,
  reuseDepthForMs: 50,
} as const;

/** How many messages a short poll returns, given the queue's visible depth. */
export function sampledReceiveCount(visible: number, requested: number, random: () => number, share = shortPollSampleShare): number {
  let found = 0;
  // Enough draws to decide min(requested, found); beyond `requested` the answer cannot change.
  for (let i = 0; i < visible && found < requested; i++) if (random() < share) found++;
  return Math.min(requested, found);
}
