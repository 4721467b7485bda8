import { WireTally } from './wire-counts.js';

const jsonOf = (body: unknown) => <T>() => body as T;
const write = (...items: unknown[]) => jsonOf({ RequestItems: { test: items } });
const deleteBatch = (...receipts: string[]) => jsonOf({ Entries: receipts.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })) });

describe('WireTally', () => {
  it('counts a held item or a failed receipt sent again once, and only as it was held', () => {
    // Prepare
    const tally = new WireTally();
    tally.heldItem({ PutRequest: { Item: { uuid: 'a' } } });
    tally.heldItem({ PutRequest: { Item: { uuid: 'b' } } });
    tally.failedReceipt('receipt-1');
    // Act
    tally.countResent('BatchWriteItem', write({ PutRequest: { Item: { uuid: 'a' } } }, { PutRequest: { Item: { uuid: 'b', key1: 'built anew' } } }));
    tally.countResent('BatchWriteItem', write({ PutRequest: { Item: { uuid: 'a' } } }));
    tally.countResent('DeleteMessageBatch', deleteBatch('receipt-1', 'receipt-2'));
    // Assess
    expect(tally.snapshot().resent).toEqual({ UnprocessedItems: 1, 'DeleteMessageBatch entry failed': 1 });
  });

  it('does not read a request body while nothing is pending', () => {
    // Prepare
    const tally = new WireTally();
    const unreadable = <T>(): T => {
      throw new Error('read');
    };
    // Act
    const counting = () => tally.countResent('BatchWriteItem', unreadable);
    // Assess
    expect(counting).not.toThrow();
  });

  it('starts from zero after a reset, forgetting what was pending', () => {
    // Prepare
    const tally = new WireTally();
    tally.request('BatchWriteItem');
    tally.fault('UnprocessedItems', 2);
    tally.heldItem({ PutRequest: { Item: { uuid: 'a' } } });
    // Act
    tally.reset();
    tally.countResent('BatchWriteItem', write({ PutRequest: { Item: { uuid: 'a' } } }));
    // Assess
    expect(tally.snapshot()).toEqual({ requests: {}, faults: {}, resent: {} });
  });
});
