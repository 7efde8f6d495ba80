import { isValidSscc, SHIPMENT_STATUSES, type ShipmentStatus } from '@wms/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cartonSscc,
  countMoves,
  type LineCount,
  lineFor,
  needsGeneralDeclaration,
  repeatedSsccs,
  shortAtClose,
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
