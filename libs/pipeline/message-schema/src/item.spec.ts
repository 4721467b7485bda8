import { itemKeyFor, toItem, uuidV5 } from './item.js';

describe('uuidV5', () => {
  it('matches the RFC test vector (www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('itemKeyFor', () => {
  it('gives a redelivered message the same key, and different messages different keys', () => {
    const id = '5fea7756-0ea4-451a-a703-a558b933e274';
    expect(itemKeyFor(id)).toBe(itemKeyFor(id));
    expect(itemKeyFor(id)).not.toBe(itemKeyFor('5fea7756-0ea4-451a-a703-a558b933e275'));
    expect(itemKeyFor(id)).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('toItem', () => {
  it('maps a message and its delivery to the table row', () => {
    const item = toItem(
      { key1: 'a', key2: 'b', key3: 'c', runId: 'r1' },
      { messageId: 'm-1', sentTimestamp: 1_700_000_000_000 },
      1_700_000_000_250,
    );
    expect(item).toEqual({
      uuid: itemKeyFor('m-1'),
      key1: 'a',
      key2: 'b',
      key3: 'c',
      runId: 'r1',
      messageId: 'm-1',
      enqueuedAt: 1_700_000_000_000,
      writtenAt: 1_700_000_000_250,
    });
  });

  it('leaves runId out when the message has none', () => {
    const item = toItem({ key1: 'a', key2: 'b', key3: 'c' }, { messageId: 'm', sentTimestamp: 1 }, 2);
    expect('runId' in item).toBe(false);
  });
});
