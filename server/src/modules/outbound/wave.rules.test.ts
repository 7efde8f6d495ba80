import { describe, expect, it } from 'vitest';
import type { ShelfBalance } from '../inventory/ledger-rules.js';
import { planWave, type WaveParcel } from './wave.rules.js';

const at = (location: string, batch: string, qty: number, since: string, zone = 'bonded') =>
  ({ location, batch, qty, since, zone }) as ShelfBalance & { zone: string };
const parcel = (n: number, units: number, putrecSeqno: number | null = 1): WaveParcel => ({
  id: String(n),
  logisticsNo: `P${n}`,
  emsNo: 'T0001',
  lines: [{ ownerCode: 'O', sku: 'A', units, putrecSeqno }],
});

describe('wave planning', () => {
  it('takes the oldest batch first and keeps what earlier parcels took', () => {
    const stock = new Map([['O|A', [at('S-02', 'NEW', 5, '2026-02-01'), at('S-01', 'OLD', 3, '2026-01-01')]]]);
    const plan = planWave([parcel(1, 2), parcel(2, 2)], stock, []);
    expect(plan.tasks.map((t) => [t.logisticsNo, t.batch, t.qty])).toEqual([
      ['P1', 'OLD', 2],
      ['P2', 'OLD', 1],
      ['P2', 'NEW', 1],
    ]);
    expect(plan).toMatchObject({ parcels: 2, skipped: [] });
  });

  it('counts open tasks as taken, and skips a parcel whole when a line is short', () => {
    const stock = new Map([['O|A', [at('S-01', 'OLD', 4, '2026-01-01')]]]);
    const plan = planWave([parcel(1, 3), parcel(2, 1)], stock, [
      { ownerCode: 'O', sku: 'A', batch: 'OLD', location: 'S-01', left: 2 },
    ]);
    expect(plan.skipped).toEqual([{ logisticsNo: 'P1', reason: 'only 2 × A free on the shelves, 3 needed' }]);
    expect(plan.tasks.map((t) => [t.logisticsNo, t.qty])).toEqual([['P2', 1]]);
    expect(plan.parcels).toBe(1);
  });

  it('picks bonded lines only from bonded zones', () => {
    const stock = new Map([
      ['O|A', [at('F-01', 'OLD', 9, '2026-01-01', 'non-bonded'), at('S-01', 'NEW', 1, '2026-03-01')]],
    ]);
    expect(planWave([parcel(1, 2)], stock, []).skipped).toHaveLength(1);
    expect(planWave([parcel(1, 2, null)], stock, []).tasks.map((t) => t.location)).toEqual(['F-01']);
  });
});
