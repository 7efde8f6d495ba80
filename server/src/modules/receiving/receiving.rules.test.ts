import { describe, expect, it } from 'vitest';
import { receivingReport } from './receiving.rules.js';

describe('receiving report', () => {
  it('counts over, short, damaged and unexpected per SKU', () => {
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
        { sku: 'C', condition: 'unexpected', qty: 4 },
      ],
    );
    expect(report).toEqual([
      { sku: 'A', expected: 12, good: 13, damaged: 0, unexpected: 0, over: 1, short: 0 },
      { sku: 'B', expected: 5, good: 2, damaged: 1, unexpected: 0, over: 0, short: 2 },
      { sku: 'C', expected: 0, good: 0, damaged: 0, unexpected: 4, over: 0, short: 0 },
    ]);
  });

  it('a damaged unit is not short, and an expected SKU never counted is short in full', () => {
    const report = receivingReport([{ sku: 'A', qty: 3 }], [{ sku: 'A', condition: 'damaged', qty: 3 }]);
    expect(report[0]).toMatchObject({ over: 0, short: 0, damaged: 3 });
    expect(receivingReport([{ sku: 'Z', qty: 2 }], [])[0]).toMatchObject({ short: 2, good: 0 });
  });
});
