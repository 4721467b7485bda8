import { forwardRewritten, replyJson, type Forwarded } from './forwarding.js';
import type { FaultContext, FaultStep, ProxiedCall } from './fault-step.js';
import { environmentTag } from './request-identity.js';
import { resentFaults } from './wire-counts.js';

/** BatchWriteItem is refused as a throttled table refuses it, and nothing is written. */
export const throttleWrites: FaultStep = ({ response, operation }, { dice, tally }) => {
  if (operation !== 'BatchWriteItem' || !dice.chance(dice.spec.throttle)) return false;
  const name = dice.random() < 0.5 ? 'ProvisionedThroughputExceededException' : 'ThrottlingException';
  tally.fault(name);
  replyJson(response, 400, {
    __type: `com.amazonaws.dynamodb.v20120810#${name}`,
    message: 'Injected by the wire proxy: the request rate is too high.',
  });
  return true;
};

/** BatchWriteItem writes about half its items and returns the others in UnprocessedItems. */
export const holdUnprocessedItems: FaultStep = async ({ request, response, operation, json }, { dice, tally, target }) => {
  if (operation !== 'BatchWriteItem' || !dice.chance(dice.spec.unprocessed)) return false;
  const input = json<{ RequestItems: Record<string, unknown[]> }>();
  const held: Record<string, unknown[]> = {};
  let heldCount = 0;
  for (const [table, requests] of Object.entries(input.RequestItems)) {
    const keep: unknown[] = [];
    for (const item of requests) {
      if (dice.random() < 0.5) {
        (held[table] ??= []).push(item);
        tally.heldItem(item);
        heldCount++;
      } else keep.push(item);
    }
    input.RequestItems[table] = keep;
    if (keep.length === 0) delete input.RequestItems[table];
  }
  tally.fault(resentFaults.unprocessed, heldCount);
  if (Object.keys(input.RequestItems).length === 0) {
    replyJson(response, 200, { UnprocessedItems: held });
    return true;
  }
  await forwardRewritten<{ UnprocessedItems?: Record<string, unknown[]> }>(target, request, response, input, (output) => {
    const unprocessed = output.UnprocessedItems ?? {};
    for (const [table, requests] of Object.entries(held)) unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
    return { ...output, UnprocessedItems: unprocessed };
  });
  return true;
};

/**
 * After a successful BatchWriteItem, kills the execution environment that sent it (named in its user
 * agent) before it hears back. Returns whether it did; the caller then drops the answer.
 */
export function killAfterWrite(
  { request, operation }: ProxiedCall,
  answer: Forwarded,
  { dice, tally }: FaultContext,
  killEnvironment: ((tag: string) => boolean) | undefined,
): boolean {
  if (operation !== 'BatchWriteItem' || answer.status !== 200 || dice.spec.killAfterWrite <= 0 || !killEnvironment) return false;
  const tag = environmentTag(request.headers);
  if (!tag || !dice.chance(dice.spec.killAfterWrite) || !killEnvironment(tag)) return false;
  // The items are written; the worker dies before it can delete their messages.
  tally.fault('environment killed after its write');
  request.socket.destroy();
  return true;
}
