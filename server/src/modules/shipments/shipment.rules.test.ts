import { isValidSscc, SHIPMENT_STATUSES, type ShipmentStatus } from '@wms/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  balancesByBookLine,
  bookInWarehouse,
  exportCover,
  exportDepartureMovements,
} from '../inventory/ledger-rules.js';
import {
  bondedShortfalls,
  cartonSscc,
  countMoves,
  type LineCount,
  lineFor,
  needsGeneralDeclaration,
  repeatedSsccs,
  shortAtClose,
  shortfallMessage,
  ssccRefusal,
  transitionRefusal,
} from './shipment.rules.js';

const facts = (from: ShipmentStatus, to: ShipmentStatus, customsStatus: number | null = 800, copNo = 'LE1') => ({
  shipmentNo: 'ASN-1',
  from,
  to,
  copNo,
  customsStatus,
});

describe('shipment status (booked -> departed -> in_transit -> arrived -> receiving -> received -> closed)', () => {
  it('lets each step follow only the one before it', () => {
    const allowed = new Set([
      'booked>departed',
      'departed>in_transit',
      'departed>arrived',
      'in_transit>arrived',
      'arrived>receiving',
      'arrived>received',
      'receiving>received',
      'received>closed',
    ]);
    for (const from of SHIPMENT_STATUSES)
      for (const to of SHIPMENT_STATUSES)
        expect(transitionRefusal(facts(from, to)) === null, `${from} -> ${to}`).toBe(allowed.has(`${from}>${to}`));
  });

  it('lets a shipment depart only once customs released its export list (800, or 899 after it)', () => {
    expect(transitionRefusal(facts('booked', 'departed', null, ''))).toMatch(/not declared for export/);
    for (const status of [null, 120, 300, 399, 500, 501, 100, -1])
      expect(transitionRefusal(facts('booked', 'departed', status))).toMatch(/not released by customs/);
    expect(transitionRefusal(facts('booked', 'departed', 800))).toBeNull();
    expect(transitionRefusal(facts('booked', 'departed', 899))).toBeNull();
  });

  it('says what the shipment can do instead', () => {
    expect(transitionRefusal(facts('booked', 'arrived'))).toBe(
      'shipment ASN-1 is booked: it can go to departed, not arrived',
    );
    expect(transitionRefusal(facts('closed', 'arrived'))).toMatch(/nothing further/);
  });
});

describe('general declaration (DOMAIN.md §10: over CNY 5,000 a ticket)', () => {
  it('is needed above 5,000.00 CNY only', () => {
    expect(needsGeneralDeclaration(500_000n)).toBe(false);
    expect(needsGeneralDeclaration(500_001n)).toBe(true);
  });
});

describe('carton SSCCs', () => {
  it('generates valid SSCCs and refuses a wrong check digit or length', () => {
    const sscc = cartonSscc('0690123', 42n);
    expect(isValidSscc(sscc)).toBe(true);
    expect(sscc.startsWith('30690123')).toBe(true);
    expect(ssccRefusal(sscc)).toBeNull();
    const wrong = `${sscc.slice(0, 17)}${(Number(sscc[17]) + 1) % 10}`;
    expect(ssccRefusal(wrong)).toMatch(/wrong check digit/);
    expect(ssccRefusal('123')).toMatch(/not 18 digits/);
    expect(repeatedSsccs([sscc, undefined, sscc, wrong, undefined])).toEqual([sscc]);
  });
});

describe('counting against an ASN line', () => {
  const line = (expected: number): LineCount => ({ expected, received: 0, over: 0, damaged: 0 });

  it('counts good units up to what is expected, then over from outside', () => {
    const a = countMoves(line(5), 4, 'good');
    expect(a.moves).toEqual([{ from: 'inbound', to: 'receiving', qty: 4, event: 'receipt.counted' }]);
    const b = countMoves(a.line, 3, 'good');
    expect(b.moves).toEqual([
      { from: 'inbound', to: 'receiving', qty: 1, event: 'receipt.counted' },
      { from: null, to: 'receiving', qty: 2, event: 'receipt.over' },
    ]);
    expect(b.line).toEqual({ expected: 5, received: 5, over: 2, damaged: 0 });
    expect(shortAtClose(b.line)).toBe(0);
  });

  it('takes damaged units out of inbound while there are any', () => {
    const a = countMoves(line(2), 1, 'damaged');
    expect(a.moves).toEqual([{ from: 'inbound', to: 'unfulfillable', qty: 1, event: 'receipt.damaged' }]);
    expect(shortAtClose(a.line)).toBe(1);
  });

  // every sequence of scans: the inbound bucket never goes below zero, and inbound + what was
  // counted out of it + the short at close is exactly what the ASN expected
  it('keeps inbound whole whatever the scans (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 20 }), damaged: fc.boolean() }), { maxLength: 30 }),
        (expected, scans) => {
          let l = line(expected);
          let inbound = expected;
          let outside = 0;
          for (const s of scans) {
            const r = countMoves(l, s.qty, s.damaged ? 'damaged' : 'good');
            for (const m of r.moves) {
              if (m.from === 'inbound') inbound -= m.qty;
              if (m.from === null) outside += m.qty;
            }
            expect(inbound).toBeGreaterThanOrEqual(0);
            expect(r.moves.reduce((n, m) => n + m.qty, 0)).toBe(s.qty);
            l = r.line;
          }
          expect(shortAtClose(l)).toBe(inbound);
          expect(l.received + l.over + l.damaged).toBe(expected - inbound + outside);
        },
      ),
    );
  });

  it('counts a unit against the scanned carton’s open line first, then any open line of the SKU', () => {
    const lines = [
      { lineNo: 1, sku: 'A', cartonSscc: 'C1', expected: 2, received: 2, over: 0, damaged: 0 },
      { lineNo: 2, sku: 'A', cartonSscc: 'C2', expected: 2, received: 0, over: 0, damaged: 0 },
      { lineNo: 3, sku: 'B', cartonSscc: 'C1', expected: 1, received: 0, over: 0, damaged: 0 },
    ];
    expect(lineFor(lines, 'A', 'C2')?.lineNo).toBe(2);
    expect(lineFor(lines, 'A', 'C1')?.lineNo).toBe(2);
    expect(lineFor(lines, 'B', null)?.lineNo).toBe(3);
    expect(lineFor(lines, 'Z', 'C1')).toBeNull();
    const full = lines.map((l) => ({ ...l, received: l.expected }));
    expect(lineFor(full, 'A', 'C2')?.lineNo).toBe(2);
  });
});

describe('a 9810 export from the bonded centre (DOMAIN.md §3, §6)', () => {
  const cover = (c: Partial<Parameters<typeof exportCover>[0]> = {}) => ({
    bonded: 0,
    promised: 0,
    verificationApplied: 0,
    onStorage: 0,
    inParcels: 0,
    ...c,
  });

  it('takes only bonded units no declared list promises, and only what the shelves still hold for it', () => {
    expect(exportCover(cover({ bonded: 20, onStorage: 20 }))).toBe(20);
    // a declared list promises 9: they are still bonded and on the shelves, but not free
    expect(exportCover(cover({ bonded: 20, promised: 9, onStorage: 20 }))).toBe(11);
    // a released 1210 list: off bonded on the book, its 4 units still on the shelf to be picked
    expect(exportCover(cover({ bonded: 16, verificationApplied: 4, onStorage: 20 }))).toBe(16);
    // ... once picked into its parcel they are off the storage shelves already
    expect(exportCover(cover({ bonded: 16, verificationApplied: 4, onStorage: 16, inParcels: 4 }))).toBe(16);
    // 5 units taken to quarantine: on the book, not on a shelf an export can take from
    expect(exportCover(cover({ bonded: 20, onStorage: 15 }))).toBe(15);
    expect(exportCover(cover({ bonded: 3, promised: 5, onStorage: 3 }))).toBe(0);
  });

  it('names every SKU short with wanted and available, and none that is covered', () => {
    const wanted = new Map([
      ['SKU-1', 2],
      ['SKU-2', 5],
      ['SKU-X', 1],
    ]);
    const shortfalls = bondedShortfalls(
      wanted,
      new Map([
        ['SKU-1', { ...cover({ bonded: 20, onStorage: 20 }), putrecSeqno: 1 }],
        ['SKU-2', { ...cover({ bonded: 3, onStorage: 3 }), putrecSeqno: 2 }],
        ['SKU-X', { ...cover({ bonded: 9, onStorage: 9 }), putrecSeqno: null }],
      ]),
    );
    expect(shortfalls).toEqual([
      { sku: 'SKU-2', wanted: 5, available: 3, putrecSeqno: 2 },
      { sku: 'SKU-X', wanted: 1, available: 0, putrecSeqno: null },
    ]);
    const message = shortfallMessage('ASN-1', 'BC01', shortfalls);
    expect(message).toContain('SKU-2: wanted 5, available 3 (book line 2)');
    expect(message).toContain('SKU-X: wanted 1, available 0 (no line in the account book of BC01)');
    expect(
      bondedShortfalls(
        new Map([['SKU-1', 20]]),
        new Map([['SKU-1', { ...cover({ bonded: 20, onStorage: 20 }), putrecSeqno: 1 }]]),
      ),
    ).toEqual([]);
  });

  it('departing writes the units off shelf and book together: book equals shelf holds, for any picks', () => {
    const bookLine = { emsNo: 'T1', putrecSeqno: 1 };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 20 }),
        (qtys, spare) => {
          const total = qtys.reduce((a, b) => a + b, 0) + spare;
          const entry = [
            { ledger: 'book' as const, location: '' },
            { ledger: 'shelf' as const, location: 'A-01' },
          ].map((x) => ({
            ...x,
            warehouseCode: 'BC01',
            bookLine,
            ownerCode: 'O',
            sku: 'S',
            batch: 'B',
            customsState: 'bonded' as const,
            qty: total,
            docType: 'entry-verification' as const,
            docNo: 'QD1',
            logisticsNo: null,
          }));
          const picks = qtys.map((qty) => ({ bookLine, ownerCode: 'O', sku: 'S', batch: 'B', location: 'A-01', qty }));
          const out = exportDepartureMovements('BC01', 'INVT1', 'ASN-1', picks);
          expect(
            out.every((m) => m.docType === 'gate-release' && m.docNo === 'INVT1' && m.logisticsNo === 'ASN-1'),
          ).toBe(true);
          const b = balancesByBookLine([...entry, ...out]).get('T1/1');
          expect(b?.shelf).toBe(spare);
          expect(b && bookInWarehouse(b)).toBe(spare);
          expect(b?.book['written-off']).toBe(total - spare);
        },
      ),
    );
  });

  it('a non-bonded origin (consolidation warehouse) loses shelf units only', () => {
    const out = exportDepartureMovements('CW01', 'INVT2', 'ASN-2', [
      { bookLine: null, ownerCode: 'O', sku: 'S', batch: '', location: 'CW-A-01', qty: 3 },
    ]);
    expect(out).toEqual([
      expect.objectContaining({ ledger: 'shelf', location: 'CW-A-01', customsState: 'non-bonded', qty: -3 }),
    ]);
  });
});
