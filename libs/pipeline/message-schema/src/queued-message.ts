import { validateMessage, type Message } from './message.js';

export type QueuedMessageParse = { ok: true; message: Message } | { ok: false; reason: string };

/**
 * Parses a message body as the worker receives it. Anything can reach the queue (a producer that
 * bypasses the API, a bug), so a bad body yields a reason to log, never an exception.
 */
export function parseQueuedMessage(body: string | undefined): QueuedMessageParse {
  if (body === undefined) return { ok: false, reason: 'the message has no body' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the body is not valid JSON' };
  }
  const validation = validateMessage(parsed);
  if (validation.ok) return { ok: true, message: validation.value };
  const reason = validation.details.map((d) => (d.path ? `${d.path} ${d.message}` : d.message)).join('; ');
  return { ok: false, reason };
}
