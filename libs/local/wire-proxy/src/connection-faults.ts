import type { FaultStep } from './fault-step.js';

/** Latency on every request, then maybe a reset or a stall: faults of the connection, whatever the operation. */
export const delayOrDrop: FaultStep = async ({ request }, { dice, tally }) => {
  const [low, high] = dice.spec.latencyMs;
  if (high > 0) await new Promise((resolve) => setTimeout(resolve, low + dice.random() * (high - low)));
  if (dice.chance(dice.spec.resets)) {
    tally.fault('reset');
    request.socket.destroy();
    return true;
  }
  if (dice.chance(dice.spec.stall)) {
    // Held past the caller's timeout: the invocation is abandoned, the request never lands.
    tally.fault('stalled past the timeout');
    await new Promise((resolve) => setTimeout(resolve, dice.spec.stallMs));
    request.socket.destroy();
    return true;
  }
  return false;
};
