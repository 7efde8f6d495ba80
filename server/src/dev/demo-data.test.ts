import { isValidGtin } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import { interpretCode } from '../modules/floor/floor.rules.js';
import { masterDataImport } from '../modules/masterdata/masterdata.schemas.js';
import { weightVerdict } from '../modules/parcels/weight.rules.js';
import { loadConfig } from '../platform/config/app-config.js';
import {
  DEMO_DELIVERY,
  DEMO_GOODS,
  DEMO_PARCELS,
  DEMO_ZONES,
  demoCustomsOverrides,
  demoGoodsCode,
  kgText,
} from './demo-data.js';

// The demo of `npm start` must not defeat itself (issue 11): what the README tells a new user to
// scan and weigh has to pass the same rules the floor applies.
const config = loadConfig({ DATABASE_URL: 'postgres://demo@127.0.0.1/demo', JWT_SECRET: 'x'.repeat(32) });
const verdict = (grossGrams: number, p: (typeof DEMO_PARCELS)[number]) =>
  weightVerdict({
    grossGrams,
    declaredGrams: Math.round(Number(kgText(p.declaredGrams)) * 1000),
    expectedGrams: p.units * DEMO_GOODS.find((g) => g.sku === p.sku)!.unitGrams,
    toleranceGrams: config.FLOOR_WEIGHT_TOLERANCE_GRAMS,
    tolerancePct: config.FLOOR_WEIGHT_TOLERANCE_PCT,
  });

describe('the demo data', () => {
  it('gives every demo good a GTIN whose GS1 check digit is right', () => {
    for (const g of DEMO_GOODS) expect(isValidGtin(g.gtin), `${g.sku} ${g.gtin}`).toBe(true);
    expect(new Set(DEMO_GOODS.map((g) => g.gtin)).size).toBe(DEMO_GOODS.length);
  });

  it('prints goods barcodes the floor reads with their GTIN, batch, expiry and count', () => {
    for (const g of DEMO_GOODS) {
      const carton = interpretCode(demoGoodsCode(g, 'delivery', DEMO_DELIVERY.cartonUnits));
      expect(carton).toEqual({
        kind: 'gs1-goods',
        gtin: g.gtin.padStart(14, '0'),
        batch: g.deliveryBatch,
        expiry: `20${g.deliveryExpiry.slice(0, 2)}-${g.deliveryExpiry.slice(2, 4)}-${g.deliveryExpiry.slice(4)}`,
        count: DEMO_DELIVERY.cartonUnits,
        gs1: expect.objectContaining({
          elements: expect.arrayContaining([{ ai: '30', value: '12', title: 'VAR. COUNT' }]),
        }),
      });
      expect(interpretCode(demoGoodsCode(g, 'stock'))).toMatchObject({ kind: 'gs1-goods', batch: g.stockBatch });
    }
  });

  it('declares every waybill at its units times the unit weight plus the carton, so the right weight passes and a wrong one is held', () => {
    for (const p of DEMO_PARCELS) {
      const good = DEMO_GOODS.find((g) => g.sku === p.sku)!;
      const right = verdict(p.declaredGrams, p);
      expect(right.within, `${p.logisticsNo}: ${right.message}`).toBe(true);
      expect(Math.abs(p.declaredGrams - p.units * good.unitGrams)).toBeLessThanOrEqual(right.toleranceGrams);
      expect(verdict(p.declaredGrams + 150, p).within, p.logisticsNo).toBe(false);
      expect(verdict(p.units * good.unitGrams * 3, p).within, p.logisticsNo).toBe(false);
    }
  });

  it('lays out a centre with a receiving dock, storage, packing, an outbound dock, inspection, returns and quarantine', () => {
    const [warehouse] = masterDataImport.parse({
      warehouses: [
        {
          code: 'BC01',
          name: 'demo',
          kind: 'bonded-centre',
          customsCode: '5165',
          loctNo: '5165W01',
          emsNo: 'T5165W000001',
          zones: DEMO_ZONES,
        },
      ],
    }).warehouses;
    const places = warehouse.zones.flatMap((z) => z.locations.map((l) => `${z.kind}/${l.purpose}`));
    for (const place of [
      'bonded/dock',
      'bonded/storage',
      'bonded/pack',
      'bonded/staging',
      'inspection/storage',
      'returns/storage',
      'quarantine/storage',
    ])
      expect(places).toContain(place);
    const dock = warehouse.zones.flatMap((z) => z.locations).find((l) => l.code === DEMO_DELIVERY.dockLocation);
    expect(dock?.purpose).toBe('dock');
  });

  it('sends some parcels to inspection and rejects one, the rest released, by name', () => {
    const overrides = demoCustomsOverrides();
    expect(Object.keys(overrides)).toHaveLength(DEMO_PARCELS.length);
    expect(
      Object.entries(overrides)
        .filter(([, o]) => o === 'inspect')
        .map(([no]) => no),
    ).toEqual(['DEMOYT00000003', 'DEMOYT00000008']);
    expect(
      Object.entries(overrides)
        .filter(([, o]) => o === 'reject')
        .map(([no]) => no),
    ).toEqual(['DEMOYT00000010']);
    expect(overrides.DEMOYT00000001).toBe('release');
  });
});
