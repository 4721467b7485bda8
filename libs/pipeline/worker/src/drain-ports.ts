import type { Item } from '@fanout/message-schema';

/** A message as the worker sees it: what it needs to write it and to delete it. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string | undefined;
  /** When SQS accepted the message, ms since the epoch. */
  sentTimestamp: number;
  /** How many times SQS has handed this message out, this time included. */
  receiveCount: number;
}

/** What a drain run needs from the queue and the table; awsDrainPorts are the AWS ones. */
export interface DrainPorts {
  /**
   * One receive of at most `maxMessages`, waiting up to `waitMs` for them: the long-poll wait, or 0
   * (a short poll) while the loop holds messages it has not written yet, so that an emptying queue
   * never keeps them waiting.
   */
  receive(maxMessages: number, waitMs: number): Promise<ReceivedMessage[]>;
  /**
   * Items may repeat a key (a message redelivered to two loops of a run): each key is written once.
   * `onWritten`, when the port can tell, hears of items as their call succeeds, while others are
   * still being retried.
   */
  write(items: Item[], onWritten?: (items: Item[]) => void): Promise<{ unwritten: Item[]; calls: number; retries: number }>;
  remove(messages: ReceivedMessage[]): Promise<{ failed: ReceivedMessage[]; calls: number; retries: number }>;
  /**
   * Gives messages back to the queue at once (their visibility ends now), for one whose item could
   * not be written; a port without it leaves them to their visibility timeout.
   */
  release?(messages: ReceivedMessage[]): Promise<{ released: number; calls: number }>;
}
