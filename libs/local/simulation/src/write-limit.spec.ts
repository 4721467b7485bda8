import { applySettings } from './parameter-values.js';
import { awsParameters } from './parameters.js';
import { writeLimitMs } from './write-limit.js';

describe('writeLimitMs', () => {
  it('holds one run\'s items to its run-index partition: 1,000 a second', () => {
    expect(writeLimitMs(1_000_000, awsParameters)).toBe(1_000_000);
  });

  it('writes items of many runs at a new table\'s 4,000 write units a second, 2 an item (the table and the run index)', () => {
    expect(writeLimitMs(1_000_000, applySettings(['workload.runIds=100']))).toBe(500_000);
  });

  it('writes them at 4,000 a second when the index has capacity of its own', () => {
    expect(writeLimitMs(1_000_000, applySettings(['workload.runIds=100', 'dynamodb.indexSharesTableCapacity=0']))).toBe(250_000);
  });

  it('writes items without a run id at 1 unit each', () => {
    expect(writeLimitMs(1_000_000, applySettings(['workload.runIds=0']))).toBe(250_000);
  });

  it('doubles the table once its peak is 30 minutes old: 3.6 million items in the first half hour, 4,000 a second after', () => {
    expect(writeLimitMs(10_000_000, applySettings(['workload.runIds=100']))).toBe(3_400_000);
  });

  it('takes a larger starting capacity when told, up to the table quota', () => {
    expect(writeLimitMs(1_000_000, applySettings(['workload.runIds=0', 'dynamodb.initialWriteUnits=100000']))).toBe(25_000);
  });
});
