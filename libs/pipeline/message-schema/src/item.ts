import { createHash } from 'node:crypto';
import type { Message } from './message.js';

/** Namespace of the v5 UUIDs that key the table: fixed, so one MessageId always maps to one key. */
export const itemKeyNamespace = '4f39a1cf-1281-4a86-af91-555589a06e16';

/** RFC 9562 UUID version 5 (SHA-1, name-based) of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`Namespace ${namespace} is not a UUID.`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The table key of a message. It derives from the SQS MessageId, which SQS keeps across
 * redeliveries, so writing a redelivered message overwrites its own item instead of adding one.
 */
export function itemKeyFor(messageId: string): string {
  return `urn:uuid:${uuidV5(messageId, itemKeyNamespace)}`;
}

/**
 * Namespace of the keys of messages sent with an idempotency key: apart from the MessageIds', so that
 * a client's key can never name the item of some other message's MessageId.
 */
export const idempotentItemKeyNamespace = '5de44649-a781-4cd6-8113-a84e6eb3c908';

/**
 * The table key of a message sent with an idempotency key. It derives from the key alone, whoever
 * sends it and whatever run it is in: every message sent with one key is one item, the last written.
 */
export function idempotentItemKeyFor(idempotencyKey: string): string {
  return `urn:uuid:${uuidV5(idempotencyKey, idempotentItemKeyNamespace)}`;
}

/** One row of the `Test` table. */
export interface Item {
  uuid: string;
  key1: string;
  key2: string;
  key3: string;
  runId?: string;
  /** The client's idempotency key, when it sent one: the item's key derives from it. */
  idempotencyKey?: string;
  /** The SQS MessageId of the message written last (a retried message may have been queued twice). */
  messageId: string;
  /** When SQS accepted the message (SentTimestamp), ms since the epoch. */
  enqueuedAt: number;
  /** When the worker wrote the item, ms since the epoch. */
  writtenAt: number;
}

export interface Delivery {
  messageId: string;
  sentTimestamp: number;
}

/** The item key of a message: from its idempotency key when it has one, else from its MessageId. */
export function itemKeyOf(message: Pick<Message, 'idempotencyKey'>, delivery: Pick<Delivery, 'messageId'>): string {
  return message.idempotencyKey === undefined ? itemKeyFor(delivery.messageId) : idempotentItemKeyFor(message.idempotencyKey);
}

export function toItem(message: Message, delivery: Delivery, writtenAt: number): Item {
  const item: Item = {
    uuid: itemKeyOf(message, delivery),
    key1: message.key1,
    key2: message.key2,
    key3: message.key3,
    messageId: delivery.messageId,
    enqueuedAt: delivery.sentTimestamp,
    writtenAt,
  };
  if (message.runId !== undefined) item.runId = message.runId;
  if (message.idempotencyKey !== undefined) item.idempotencyKey = message.idempotencyKey;
  return item;
}
