import { describe, expect, it } from 'vitest';
import { putawayRefusal, stocktakeDifferences } from './storage.rules.js';

describe('put-away zones', () => {
  const at = (zone: 'bonded' | 'non-bonded' | 'inspection' | 'returns' | 'quarantine', purpose = 'storage') => ({
    code: 'L1',
    zone,
    purpose,
  });
  it('keeps bonded and non-bonded apart and the inspection and returns areas for their flows', () => {
    const bonded = { bonded: true, sku: 'S1' };
    const free = { bonded: false, sku: 'S2' };
    expect(putawayRefusal(bonded, at('bonded'))).toBeNull();
    expect(putawayRefusal(free, at('non-bonded'))).toBeNull();
    expect(putawayRefusal(bonded, at('quarantine'))).toBeNull();
    expect(putawayRefusal(bonded, at('non-bonded'))?.en).toMatch(
      /bonded goods \(S1\) cannot go into the non-bonded zone/,
    );
    expect(putawayRefusal(free, at('bonded'))?.en).toMatch(/not bonded stock/);
    expect(putawayRefusal(bonded, at('inspection'))?.en).toMatch(/inspection area/);
    expect(putawayRefusal(bonded, at('returns'))?.en).toMatch(/returns flow/);
    expect(putawayRefusal(bonded, at('bonded', 'dock'))?.en).toMatch(/dock location, not storage/);
  });
});

describe('stock-take differences', () => {
  it('lists only what differs, both ways, and adjusts nothing', () => {
    const expected = [
      { location: 'A', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 5 },
      { location: 'A', ownerCode: 'O', sku: 'S2', batch: 'B', qty: 3 },
      { location: 'B', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 2 },
    ];
    const counted = [
      { location: 'A', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 2 },
      { location: 'A', ownerCode: 'O', sku: 'S1', batch: 'B', qty: 3 },
      { location: 'A', ownerCode: 'O', sku: 'S2', batch: 'B', qty: 2 },
      { location: 'B', ownerCode: 'O', sku: 'S9', batch: '', qty: 1 },
    ];
    expect(stocktakeDifferences(expected, counted)).toEqual([
      { location: 'A', ownerCode: 'O', sku: 'S2', batch: 'B', expected: 3, counted: 2, difference: -1 },
      { location: 'B', ownerCode: 'O', sku: 'S1', batch: 'B', expected: 2, counted: 0, difference: -2 },
      { location: 'B', ownerCode: 'O', sku: 'S9', batch: '', expected: 0, counted: 1, difference: 1 },
    ]);
  });
});
