import { describe, expect, it } from 'vitest';
import {
  type AvailableLot,
  allocateOrder,
  cancelRefusal,
  type ImportRow,
  importHeader,
  mayMove,
  orderBodyHash,
  ordersFromRows,
  pickOrder,
  stockKey,
} from './orders.rules.js';

const order = {
  orderNo: 'SO-1',
  warehouseCode: 'OW-DE1',
  shipTo: { name: 'Anna', line1: 'Hauptstr. 5', city: 'Berlin', postcode: '10115', country: 'DE' },
  lines: [
    { sku: 'A', qty: 2 },
    { sku: 'B', qty: 1 },
  ],
};

describe('which lots an order takes', () => {
  it('takes the first-expiring lot first where lots have an expiry, whatever their arrival', () => {
    const lots: AvailableLot[] = [
      { lotNo: 'OLD-LATE', qty: 5, expiry: '2027-06-01', arrivedAt: '2026-01-01T00:00:00Z' },
      { lotNo: 'NEW-SOON', qty: 5, expiry: '2027-01-01', arrivedAt: '2026-11-01T00:00:00Z' },
      { lotNo: 'NO-EXPIRY', qty: 5, expiry: null, arrivedAt: '2025-01-01T00:00:00Z' },
    ];
    expect(pickOrder(lots).map((l) => l.lotNo)).toEqual(['NEW-SOON', 'OLD-LATE', 'NO-EXPIRY']);
  });

  it('takes the oldest arrival first where no lot has an expiry', () => {
    const lots: AvailableLot[] = [
      { lotNo: 'L2', qty: 1, expiry: null, arrivedAt: '2026-10-02T00:00:00Z' },
      { lotNo: 'L1', qty: 1, expiry: null, arrivedAt: '2026-10-01T00:00:00Z' },
      { lotNo: 'L3', qty: 1, expiry: null, arrivedAt: '2026-10-03T00:00:00Z' },
    ];
    const stock = new Map([[stockKey('O', 'A'), lots]]);
    const result = allocateOrder([{ ownerCode: 'O', sku: 'A', qty: 2 }], stock);
    expect(result).toEqual({
      ok: true,
      allocations: [
        { ownerCode: 'O', sku: 'A', lotNo: 'L1', expiry: null, qty: 1 },
        { ownerCode: 'O', sku: 'A', lotNo: 'L2', expiry: null, qty: 1 },
      ],
    });
    // what the order took is gone for the next order of the batch
    expect(lots.find((l) => l.lotNo === 'L3')?.qty).toBe(1);
    expect(
      lots
        .filter((l) => l.qty === 0)
        .map((l) => l.lotNo)
        .sort(),
    ).toEqual(['L1', 'L2']);
  });

  it('reserves nothing when one line is short, and names each short line', () => {
    const stock = new Map([
      [stockKey('O', 'A'), [{ lotNo: 'L1', qty: 5, expiry: null, arrivedAt: null }]],
      [stockKey('O', 'B'), [{ lotNo: 'L1', qty: 1, expiry: null, arrivedAt: null }]],
    ]);
    const result = allocateOrder(
      [
        { ownerCode: 'O', sku: 'A', qty: 3 },
        { ownerCode: 'O', sku: 'B', qty: 2 },
        { ownerCode: 'O', sku: 'C', qty: 1 },
      ],
      stock,
    );
    expect(result).toEqual({
      ok: false,
      shortfall: [
        { sku: 'B', wanted: 2, available: 1 },
        { sku: 'C', wanted: 1, available: 0 },
      ],
    });
    expect(stock.get(stockKey('O', 'A'))?.[0].qty).toBe(5);
  });
});

describe('the same order twice', () => {
  it('has the same hash whatever the key order or split lines, another hash for other contents', () => {
    const reordered = {
      lines: [
        { qty: 1, sku: 'A' },
        { sku: 'B', qty: 1 },
        { sku: 'A', qty: 1 },
      ],
      shipTo: { country: 'DE', postcode: '10115', city: 'Berlin', line1: 'Hauptstr. 5', name: 'Anna' },
      warehouseCode: 'OW-DE1',
      orderNo: 'SO-1',
    };
    expect(orderBodyHash(reordered)).toBe(orderBodyHash(order));
    expect(orderBodyHash({ ...order, lines: [{ sku: 'A', qty: 3 }] })).not.toBe(orderBodyHash(order));
    expect(orderBodyHash({ ...order, shipTo: { ...order.shipTo, city: 'Bonn' } })).not.toBe(orderBodyHash(order));
  });
});

describe('cancelling and the floor steps', () => {
  const local = (t: string) => `${t.slice(11, 16)} Europe/Berlin`;
  it('cancels before picking only, and says when picking started', () => {
    expect(cancelRefusal({ status: 'reserved', pickingStartedAt: null, shippedAt: null }, local)).toBeNull();
    expect(
      cancelRefusal({ status: 'picking', pickingStartedAt: '2026-12-01T09:30:00.000Z', shippedAt: null }, local),
    ).toBe('This order cannot be cancelled: picking started at 09:30 Europe/Berlin.');
    expect(cancelRefusal({ status: 'cancelled', pickingStartedAt: null, shippedAt: null }, local)).toMatch(/already/);
  });

  it('moves forward one step at a time', () => {
    expect(mayMove('reserved', 'picking')).toBe(true);
    expect(mayMove('reserved', 'packed')).toBe(false);
    expect(mayMove('picking', 'cancelled')).toBe(false);
    expect(mayMove('shipped', 'cancelled')).toBe(false);
  });
});

describe('import rows to orders', () => {
  const header = importHeader([
    'orderNo',
    'warehouseCode',
    'name',
    'line1',
    'city',
    'postcode',
    'country',
    'sku',
    'qty',
  ]);
  const row = (n: number, cells: Partial<Record<string, string>>): ImportRow => ({
    row: n,
    cells: {
      warehouseCode: 'OW-DE1',
      name: 'Anna',
      line1: 'Hauptstr. 5',
      city: 'Berlin',
      postcode: '10115',
      country: 'de',
      ...cells,
    },
  });

  it('groups rows by order number and names each bad row with its column', () => {
    expect(header.errors).toEqual([]);
    const { orders, errors } = ordersFromRows([
      row(2, { orderNo: 'A1', sku: 'S1', qty: '2' }),
      row(3, { orderNo: 'A1', sku: 'S2', qty: '1' }),
      row(4, { orderNo: 'B1', sku: 'S1', qty: 'two' }),
      row(5, { orderNo: 'C1', sku: 'S1', qty: '1', country: 'Germany' }),
      row(6, { orderNo: '', sku: 'S1', qty: '1' }),
      row(7, { orderNo: 'D1', sku: 'S1', qty: '1' }),
      row(8, { orderNo: 'D1', sku: 'S2', qty: '1', city: 'Bonn' }),
    ]);
    expect(orders.map((o) => [o.orderNo, o.rows, o.order.lines])).toEqual([
      [
        'A1',
        [2, 3],
        [
          { sku: 'S1', qty: 2 },
          { sku: 'S2', qty: 1 },
        ],
      ],
    ]);
    expect(orders[0].order.shipTo.country).toBe('DE');
    expect(errors.map((e) => [e.row, e.column, e.orderNo])).toEqual([
      [6, 'orderNo', null],
      [4, 'qty', 'B1'],
      [5, 'country', 'C1'],
      [8, 'city', 'D1'],
    ]);
  });

  it('refuses a header with an unknown or a missing column', () => {
    const { errors } = importHeader(['orderNo', 'warehouse', 'sku', 'qty']);
    expect(errors.map((e) => e.column)).toEqual(expect.arrayContaining(['warehouse', 'warehouseCode', 'name', 'city']));
  });
});
