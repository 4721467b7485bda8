import { forward, forwardRewritten, reply, replyJson } from './forwarding.js';
import type { FaultStep } from './fault-step.js';
import type { SampledDepth } from './sampled-depth.js';
import { sampledReceiveCount } from './short-poll-model.js';
import { resentFaults } from './wire-counts.js';

/** SendMessage and SendMessageBatch fail with a 500, on every SDK attempt of a failing invocation. */
export function failSends(): FaultStep {
  const failingInvocations = new Set<string>();
  return ({ request, response, operation }, { dice, tally }) => {
    if ((operation !== 'SendMessage' && operation !== 'SendMessageBatch') || dice.spec.sendFailures <= 0) return false;
    // Decided once per SDK invocation (its retries share the id), so every attempt fails.
    const invocation = String(request.headers['amz-sdk-invocation-id'] ?? Math.random());
    if (!failingInvocations.has(invocation) && dice.chance(dice.spec.sendFailures)) failingInvocations.add(invocation);
    if (!failingInvocations.has(invocation)) return false;
    tally.fault('send failed');
    replyJson(response, 500, { __type: 'com.amazonaws.sqs#InternalError', message: 'Injected by the wire proxy.' });
    return true;
  };
}

/** Some DeleteMessageBatch entries fail on the server's side: the rest are deleted, the failed ones stay on the queue. */
export const failDeleteEntries: FaultStep = async ({ request, response, operation, json }, { dice, tally, target }) => {
  if (operation !== 'DeleteMessageBatch' || dice.spec.deleteFailures <= 0) return false;
  const input = json<{ Entries: { Id: string; ReceiptHandle: string }[] }>();
  const failing = input.Entries.filter(() => dice.chance(dice.spec.deleteFailures));
  if (failing.length === 0) return false;
  tally.fault(resentFaults.deleteFailed, failing.length);
  for (const entry of failing) tally.failedReceipt(entry.ReceiptHandle);
  const failed = failing.map((entry) => ({ Id: entry.Id, SenderFault: false, Code: 'InternalError', Message: 'Injected by the wire proxy.' }));
  input.Entries = input.Entries.filter((entry) => !failing.includes(entry));
  if (input.Entries.length === 0) {
    replyJson(response, 200, { Successful: [], Failed: failed });
    return true;
  }
  await forwardRewritten<{ Successful?: unknown[]; Failed?: unknown[] }>(target, request, response, input, (output) => ({
    ...output,
    Failed: [...(output.Failed ?? []), ...failed],
  }));
  return true;
};

/** Short polls (WaitTimeSeconds 0) return what real SQS's sampling of its servers would find, not the emulator's full answer. */
export function sampleShortPolls(depth: SampledDepth): FaultStep {
  return async ({ request, response, operation, json }, { dice, tally, target }) => {
    if (operation !== 'ReceiveMessage' || !dice.spec.shortPollSampling) return false;
    const input = json<{ QueueUrl: string; MaxNumberOfMessages?: number; WaitTimeSeconds?: number }>();
    if (input.WaitTimeSeconds) return false;
    const requested = input.MaxNumberOfMessages ?? 1;
    const sampled = sampledReceiveCount(await depth.visible(input.QueueUrl), requested, () => dice.random());
    if (sampled < requested) tally.fault('short poll sampled', requested - sampled);
    if (sampled === 0) {
      replyJson(response, 200, {});
      return true;
    }
    input.MaxNumberOfMessages = sampled;
    const answer = await forward(target, request, Buffer.from(JSON.stringify(input)));
    reply(response, answer.status, answer.headers, answer.body);
    return true;
  };
}
