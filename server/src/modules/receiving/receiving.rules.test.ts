import { describe, expect, it } from 'vitest';
import { batchDifferences, receivedAs, receivingReport } from './receiving.rules.js';

describe('receiving report', () => {
  it('counts over, short, damaged, unexpected and batch differences per SKU', () => {
    const report = receivingReport(
      [
        { sku: 'A', qty: 10 },
        { sku: 'B', qty: 5 },
        { sku: 'A', qty: 2 },
      ],
      [
        { sku: 'A', condition: 'good', qty: 13 },
        { sku: 'B', condition: 'good', qty: 2 },
        { sku: 'B', condition: 'damaged', qty: 1 },
        { sku: 'B', condition: 'batch_mismatch', qty: 1 },
        { sku: 'C', condition: 'unexpected', qty: 4 },
      ],
    );
    expect(report).toEqual([
      { sku: 'A', expected: 12, good: 13, damaged: 0, unexpected: 0, batchMismatch: 0, over: 1, short: 0 },
      { sku: 'B', expected: 5, good: 2, damaged: 1, unexpected: 0, batchMismatch: 1, over: 0, short: 1 },
      { sku: 'C', expected: 0, good: 0, damaged: 0, unexpected: 4, batchMismatch: 0, over: 0, short: 0 },
    ]);
  });

  it('a damaged unit is not short, and an expected SKU never counted is short in full', () => {
    const report = receivingReport([{ sku: 'A', qty: 3 }], [{ sku: 'A', condition: 'damaged', qty: 3 }]);
    expect(report[0]).toMatchObject({ over: 0, short: 0, damaged: 3 });
    expect(receivingReport([{ sku: 'Z', qty: 2 }], [])[0]).toMatchObject({ short: 2, good: 0 });
  });
});

describe('what a received unit is (receivedAs)', () => {
  const lines = [
    { sku: 'A', qty: 5, batch: 'L1', expiry: '2027-06-30' },
    { sku: 'B', qty: 2 },
  ];
  const good = { condition: 'good' as const };

  it('the expected batch and expiry are good; a line without batch takes any', () => {
    expect(receivedAs(lines, { sku: 'A', batch: 'L1', expiry: '2027-06-30', condition: 'good' })).toEqual(good);
    expect(receivedAs(lines, { sku: 'B', batch: 'ANY', expiry: '2030-01-01', condition: 'good' })).toEqual(good);
  });

  it('a scan naming no batch cannot differ (a plain SKU label)', () => {
    expect(receivedAs(lines, { sku: 'A', batch: '', expiry: null, condition: 'good' })).toEqual(good);
  });

  it('another batch is a difference against the expected one, never good stock', () => {
    expect(receivedAs(lines, { sku: 'A', batch: 'L2', expiry: '2027-06-30', condition: 'good' })).toEqual({
      condition: 'batch_mismatch',
      differs: 'batch',
      expectedBatch: 'L1',
      expectedExpiry: '2027-06-30',
    });
  });

  it('the right batch with another expiry is an expiry difference', () => {
    expect(receivedAs(lines, { sku: 'A', batch: 'L1', expiry: '2027-01-31', condition: 'good' })).toMatchObject({
      condition: 'batch_mismatch',
      differs: 'expiry',
    });
  });

  it('any of several expected batches fits; damaged and unexpected win over the batch', () => {
    const two = [...lines, { sku: 'A', qty: 1, batch: 'L2' }];
    expect(receivedAs(two, { sku: 'A', batch: 'L2', expiry: null, condition: 'good' })).toEqual(good);
    expect(receivedAs(lines, { sku: 'A', batch: 'L9', expiry: null, condition: 'damaged' })).toEqual({
      condition: 'damaged',
    });
    expect(receivedAs(lines, { sku: 'Z', batch: 'L1', expiry: null, condition: 'good' })).toEqual({
      condition: 'unexpected',
    });
  });

  it('the differences list what came against what was expected', () => {
    expect(
      batchDifferences(lines, [
        { sku: 'A', batch: 'L1', expiry: null, condition: 'good', qty: 3 },
        { sku: 'A', batch: 'L2', expiry: '2027-06-30', condition: 'batch_mismatch', qty: 2 },
      ]),
    ).toEqual([{ sku: 'A', batch: 'L2', expiry: '2027-06-30', qty: 2, expectedBatches: ['L1'] }]);
  });
});
