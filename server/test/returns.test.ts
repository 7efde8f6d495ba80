import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ClientToServer, type SellerChange, ServerToClient } from '@wms/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { query } from '../../test/support/services.js';
import { connectLive, startTestServer, type TestServer } from '../../test/support/test-server.js';
import { SellerRegistry } from '../src/modules/sellers/seller-registry.js';
import { SellerStockRepository } from '../src/modules/sellers/stock/seller-stock.repository.js';
import { ORM } from '../src/platform/database/orm.js';
import { SqlRunner } from '../src/platform/database/sql.js';
import { type DomainEventMap, DomainEvents } from '../src/platform/events/domain-events.js';

/**
 * Returns at the overseas warehouse (issue 12) on the real PostgreSQL: the seller's RMA API, the
 * returns desk driven by the station job 'returns' and by handheld scans, each grade's stock moves
 * in the seller's ledger, the exchange, and the tenant boundary (another seller's RMA is 404).
 */
let t: TestServer;
let centre: SqlRunner;
const WH = 'OW-DE1';
const STATION = 'OW-RET-ST';
const changes: SellerChange[] = [];
const tokens: Record<string, string> = {};
const exchanges: Array<DomainEventMap['return.exchangeDue']> = [];

const shipTo = { name: 'Erika Muster', line1: 'Hauptstr. 1', city: 'Duisburg', postcode: '47051', country: 'DE' };

/** A handheld's returns scan at the overseas warehouse (POST /api/floor/scans). */
async function handheld(code: string, extra: Record<string, unknown> = {}, scanId = randomUUID()) {
  const res = await t.api('POST', '/api/floor/scans', 'staff', {
    scanId,
    operation: 'returns',
    warehouseCode: WH,
    stationId: 'HH-1',
    code,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { outcome: 'ok' | 'refused'; message: string; next: string; detail?: Record<string, unknown> };
}

/** A code typed at the station whose job is 'returns' (the same path as its scanner's reads). */
async function atStation(code: string, scanId = randomUUID()) {
  const res = await t.api('POST', `/api/floor/stations/${STATION}/scans`, 'staff', { scanId, code });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { outcome: string; message: string; detail?: Record<string, unknown>; job: string };
}

const ledgerOf = (rmaNo: string) =>
  query<{
    sku: string;
    lot_no: string;
    from_bucket: string | null;
    to_bucket: string | null;
    qty: number;
    event: string;
    reason: string;
  }>(
    t.databaseUrl,
    `select sku, lot_no, from_bucket, to_bucket, qty::int as qty, event, reason from seller_stock_movement
      where doc_type = 'return' and doc_no = $1 order by id`,
    [rmaNo],
  );

const balanceOf = async (ownerCode: string, sku: string, bucket: string, lotNo: string) => {
  const [row] = await query<{ qty: number }>(
    t.databaseUrl,
    `select qty::int as qty from seller_stock_balance where owner_code = $1 and warehouse_code = $2 and sku = $3
       and bucket = $4 and lot_no = $5`,
    [ownerCode, WH, sku, bucket, lotNo],
  );
  return row?.qty ?? 0;
};

beforeAll(async () => {
  t = await startTestServer('returns', { CUSTOMS_POLL_MS: '0', AGEING_SWEEP_MS: '0' }, {}, { checkAnswers: true });
  await query(
    t.databaseUrl,
    `insert into enterprise (code, name, roles) values ('OWN-A', 'Seller A Ltd', '{owner,ebc}'),
       ('OWN-B', 'Seller B Ltd', '{owner,ebc}');
     insert into warehouse (code, name, kind, country, time_zone, currency) values
       ('OW-DE1', 'Overseas DE1', 'overseas', 'DE', 'Europe/Berlin', 'EUR');
     insert into warehouse (code, name, kind, customs_code, loct_no, ems_no) values
       ('BC-T', 'Bonded centre T', 'bonded-centre', '5165', 'L5165T', 'T5165W00RT01');
     insert into goods (owner_code, sku, gtin, gcode, name, unit, declared_price, country) values
       ('OWN-A', 'SKU-1', '6901234000016', '3304990010', 'A cream', '011', 10, '142'),
       ('OWN-A', 'SKU-2', '6901234000023', '3304990010', 'A serum', '011', 5, '142'),
       ('OWN-A', 'SKU-S', '4006381333931', '3304990010', 'A shared-code soap', '011', 5, '142'),
       ('OWN-B', 'SKU-1', '6909876000011', '3304990010', 'B cream', '011', 11, '142'),
       ('OWN-B', 'SKU-S', '4006381333931', '3304990010', 'B shared-code soap', '011', 5, '142');
     insert into station (station_id, name) values ('${STATION}', 'Returns desk OW-DE1')`,
  );
  const registry = new SellerRegistry(t.server.app.get<MikroORM>(ORM));
  await registry.upsert({ sellerCode: 'SELLER-A', name: 'A', ownerCodes: ['OWN-A'], warehouseCodes: [WH, 'BC-T'] });
  await registry.upsert({ sellerCode: 'SELLER-B', name: 'B', ownerCodes: ['OWN-B'], warehouseCodes: [WH] });
  tokens.a = await t.signIn('a', ['seller'], 'a', 'SELLER-A');
  tokens.b = await t.signIn('b', ['seller'], 'b', 'SELLER-B');
  tokens.staff = await t.signIn('staff', ['staff']);
  centre = t.server.app.get(SqlRunner);
  const events = t.server.app.get(DomainEvents);
  events.on('seller.changed', (c) => changes.push(c));
  events.on('return.exchangeDue', (e) => exchanges.push(e));
});

afterAll(async () => {
  await t?.close();
});

describe('the seller’s RMA', () => {
  it('announces a return to one of its overseas warehouses and refuses what it cannot expect', async () => {
    const body = {
      rmaNo: 'RMA-1',
      warehouseCode: WH,
      orderNo: 'ORD-9',
      reason: 'wrong size',
      lines: [{ sku: 'SKU-1', qty: 2 }],
    };
    const created = await t.api('POST', '/api/seller/returns', 'a', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      rmaNo: 'RMA-1',
      status: 'expected',
      unannounced: false,
      expected: 2,
      received: 0,
      orderNo: 'ORD-9',
      lines: [{ sku: 'SKU-1', name: 'A cream', expected: 2, received: 0 }],
      history: [{ event: 'created' }],
    });
    expect(changes).toContainEqual(expect.objectContaining({ sellerCode: 'SELLER-A', kind: 'return', ref: 'RMA-1' }));

    const again = await t.api('POST', '/api/seller/returns', 'a', body);
    expect(again).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect(again.body.message).toMatch(/already have RMA RMA-1/);
    // B may use the same number for its own RMA: numbers are per seller
    const bSame = await t.api('POST', '/api/seller/returns', 'b', { ...body, lines: [{ sku: 'SKU-1', qty: 1 }] });
    expect(bSame.status, JSON.stringify(bSame.body)).toBe(201);

    const generated = await t.api('POST', '/api/seller/returns', 'a', {
      warehouseCode: WH,
      reason: 'no number',
      lines: [{ sku: 'SKU-2', qty: 1 }],
    });
    expect(generated.status).toBe(201);
    expect(generated.body.rmaNo).toMatch(/^RMA\d{16}$/);

    const refusals = await Promise.all([
      t.api('POST', '/api/seller/returns', 'a', { ...body, rmaNo: 'X1', warehouseCode: 'BC-T' }),
      t.api('POST', '/api/seller/returns', 'a', { ...body, rmaNo: 'X2', warehouseCode: 'OW-NOPE' }),
      t.api('POST', '/api/seller/returns', 'a', { ...body, rmaNo: 'X3', lines: [{ sku: 'SKU-B-ONLY', qty: 1 }] }),
      t.api('POST', '/api/seller/returns', 'a', {
        ...body,
        rmaNo: 'X4',
        lines: [
          { sku: 'SKU-1', qty: 1 },
          { sku: 'SKU-1', qty: 1 },
        ],
      }),
      t.api('POST', '/api/seller/returns', 'a', { ...body, rmaNo: 'X5', extra: 1 }),
      t.api('POST', '/api/seller/returns', 'a', { ...body, rmaNo: 'X6', lines: [{ sku: 'SKU-1', qty: 0 }] }),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([400, 404, 404, 400, 400, 400]);
    expect(refusals[0].body.message).toMatch(/BC-T is not an overseas warehouse/);
    expect(refusals[2].body.message).toMatch(/SKU SKU-B-ONLY not found among yours/);
    expect(JSON.stringify(refusals[3].body)).toMatch(/appears twice/);
  });

  it('lists and shows a seller its own RMAs only: another seller’s number is not found', async () => {
    const aList = await t.api('GET', '/api/seller/returns', 'a');
    expect(aList.status).toBe(200);
    expect(aList.body.items.every((r: { ownerCode: string }) => r.ownerCode === 'OWN-A')).toBe(true);
    expect((await t.api('GET', '/api/seller/returns?sku=SKU-2', 'a')).body.items).toHaveLength(1);
    const bOwn = await t.api('GET', '/api/seller/returns/RMA-1', 'b');
    expect(bOwn.body).toMatchObject({ ownerCode: 'OWN-B', lines: [{ sku: 'SKU-1', name: 'B cream', expected: 1 }] });
    const generated = aList.body.items.find((r: { rmaNo: string }) => r.rmaNo.startsWith('RMA2'));
    const bTriesA = await t.api('GET', `/api/seller/returns/${generated.rmaNo}`, 'b');
    expect(bTriesA).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(JSON.stringify((await t.api('GET', '/api/seller/returns', 'b')).body)).not.toContain('OWN-A');
    const staff = await t.api('GET', '/api/seller/returns', 'staff');
    expect(staff.status).toBe(403);
  });
});

describe('the returns desk of the overseas warehouse', () => {
  it('receives an RMA at the station job returns: grades sellable, destroy and unsellable, once per scan, then the exchange is due', async () => {
    const made = await t.api('POST', '/api/seller/returns', 'a', {
      rmaNo: 'RMA-EX',
      warehouseCode: WH,
      reason: 'damaged in transit',
      lines: [
        { sku: 'SKU-1', qty: 2 },
        { sku: 'SKU-2', qty: 1 },
      ],
      exchange: { shipTo, lines: [{ sku: 'SKU-1', qty: 2 }] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const mode = await t.api('PUT', `/api/floor/stations/${STATION}/mode`, 'staff', {
      job: 'returns',
      warehouseCode: WH,
    });
    expect(mode.status, JSON.stringify(mode.body)).toBe(200);

    // goods before any RMA: refused, nothing counted
    const early = await atStation('6901234000016');
    expect(early).toMatchObject({ outcome: 'refused', job: 'returns' });
    expect(early.message).toMatch(/scan the RMA number first/);

    const opened = await atStation('RMA-EX');
    expect(opened).toMatchObject({ outcome: 'ok', detail: { rmaNo: 'RMA-EX', sellerCode: 'SELLER-A' } });
    expect(opened.message).toMatch(/3 unit\(s\) expected/);

    const scanId = randomUUID();
    const first = await atStation('6901234000016', scanId);
    expect(first).toMatchObject({ outcome: 'ok', detail: { sku: 'SKU-1', grade: 'sellable', lotNo: 'RET-RMA-EX' } });
    // the scanner repeats the read: the same answer, not a second unit
    const repeat = await atStation('6901234000016', scanId);
    expect(repeat.message).toBe(first.message);
    // and a handheld sending the same scan id again is answered the same way
    expect((await handheld('6901234000016', {}, scanId)).message).toBe(first.message);
    expect(await balanceOf('OWN-A', 'SKU-1', 'available', 'RET-RMA-EX')).toBe(1);

    expect(await atStation('DESTROY:leaking')).toMatchObject({ outcome: 'ok', detail: { grade: 'destroy' } });
    expect(await atStation('SKU-1')).toMatchObject({
      outcome: 'ok',
      detail: { grade: 'destroy', status: 'receiving' },
    });
    const extra = await atStation('6901234000016');
    expect(extra.outcome).toBe('refused');
    expect(extra.message).toMatch(/expects 2 of SKU-1 and 0 remain/);
    // B's goods are not on A's RMA
    const bGoods = await atStation('6909876000011');
    expect(bGoods.outcome).toBe('refused');
    expect(bGoods.message).toMatch(/not goods of the seller of RMA RMA-EX/);

    expect(exchanges).toEqual([]);
    expect((await atStation('UNSELLABLE')).outcome).toBe('ok');
    const last = await atStation('6901234000023');
    expect(last).toMatchObject({
      outcome: 'ok',
      detail: { sku: 'SKU-2', grade: 'unsellable', status: 'received', exchangeDue: true },
    });

    expect(await ledgerOf('RMA-EX')).toEqual([
      {
        sku: 'SKU-1',
        lot_no: 'RET-RMA-EX',
        from_bucket: null,
        to_bucket: 'available',
        qty: 1,
        event: 'return.graded',
        reason: 'damaged in transit',
      },
      {
        sku: 'SKU-1',
        lot_no: 'RET-RMA-EX',
        from_bucket: null,
        to_bucket: 'unfulfillable',
        qty: 1,
        event: 'return.graded',
        reason: 'leaking',
      },
      {
        sku: 'SKU-1',
        lot_no: 'RET-RMA-EX',
        from_bucket: 'unfulfillable',
        to_bucket: null,
        qty: 1,
        event: 'return.destroyed',
        reason: 'leaking',
      },
      // the grade reason is reset when the next grade is set without one: the RMA's reason
      {
        sku: 'SKU-2',
        lot_no: 'RET-RMA-EX',
        from_bucket: null,
        to_bucket: 'unfulfillable',
        qty: 1,
        event: 'return.graded',
        reason: 'damaged in transit',
      },
    ]);
    expect(await balanceOf('OWN-A', 'SKU-1', 'unfulfillable', 'RET-RMA-EX')).toBe(0);
    expect(await balanceOf('OWN-A', 'SKU-2', 'unfulfillable', 'RET-RMA-EX')).toBe(1);
    const [lot] = await query<{ fresh: boolean }>(
      t.databaseUrl,
      `select arrived_at > now() - interval '1 hour' as fresh from stock_lot where lot_no = 'RET-RMA-EX' and sku = 'SKU-1'`,
    );
    expect(lot.fresh).toBe(true);

    expect(exchanges).toEqual([
      { sellerCode: 'SELLER-A', rmaNo: 'RMA-EX', warehouseCode: WH, shipTo, lines: [{ sku: 'SKU-1', qty: 2 }] },
    ]);
    const mine = changes.filter((c) => c.ref === 'RMA-EX' && c.kind === 'return');
    expect(mine.every((c) => c.sellerCode === 'SELLER-A')).toBe(true);
    expect(mine.length).toBeGreaterThanOrEqual(5); // created, receiving, and one per graded scan

    const seen = await t.api('GET', '/api/seller/returns/RMA-EX', 'a');
    expect(seen.body).toMatchObject({
      status: 'received',
      expected: 3,
      received: 3,
      exchange: true,
      replacementOrderNo: null,
      lines: [
        { sku: 'SKU-1', expected: 2, received: 2, sellable: 1, unsellable: 0, destroyed: 1 },
        { sku: 'SKU-2', expected: 1, received: 1, sellable: 0, unsellable: 1, destroyed: 0 },
      ],
    });
    expect(seen.body.grades.map((g: { sku: string; grade: string }) => `${g.sku}:${g.grade}`)).toEqual([
      'SKU-1:sellable',
      'SKU-1:destroy',
      'SKU-2:unsellable',
    ]);
    expect(seen.body.history.map((h: { event: string }) => h.event)).toEqual([
      'created',
      'receiving started',
      'graded',
      'destroyed',
      'graded',
      'received',
      'exchange due',
    ]);
    expect(seen.body.exchangeDueAt).not.toBeNull();
    expect((await t.api('GET', '/api/seller/returns/RMA-EX', 'b')).status).toBe(404);

    // the orders room announces the replacement order EX-<rmaNo>: the RMA shows it
    t.server.app.get(DomainEvents).emit('seller.changed', {
      sellerCode: 'SELLER-A',
      kind: 'order',
      ref: 'EX-RMA-EX',
      at: new Date().toISOString(),
    });
    await vi.waitFor(async () => {
      const after = await t.api('GET', '/api/seller/returns/RMA-EX', 'a');
      expect(after.body.replacementOrderNo).toBe('EX-RMA-EX');
    });
    // a received RMA takes no more scans
    const done = await atStation('RMA-EX');
    expect(done.outcome).toBe('refused');
    expect(done.message).toMatch(/received already/);
    expect((await t.api('GET', `/api/returns?warehouseCode=${WH}`, 'staff')).body.items).toContainEqual(
      expect.objectContaining({ rmaNo: 'RMA-EX', sellerCode: 'SELLER-A', status: 'received' }),
    );
  });

  it('asks staff to choose when two RMAs of different sellers share a number', async () => {
    const both = await handheld('RMA-1');
    expect(both.outcome).toBe('refused');
    expect(both.message).toMatch(/RMA-1 is a number SELLER-(A|B) and SELLER-(A|B) both use/);
    expect((await handheld('SELLER:SELLER-B')).outcome).toBe('ok');
    const opened = await handheld('RMA-1');
    expect(opened).toMatchObject({ outcome: 'ok', detail: { rmaNo: 'RMA-1', sellerCode: 'SELLER-B' } });
    const graded = await handheld('6909876000011');
    expect(graded).toMatchObject({
      outcome: 'ok',
      detail: { sku: 'SKU-1', sellerCode: 'SELLER-B', status: 'received' },
    });
    expect(await balanceOf('OWN-B', 'SKU-1', 'available', 'RET-RMA-1')).toBe(1);
    expect(await balanceOf('OWN-A', 'SKU-1', 'available', 'RET-RMA-1')).toBe(0);
  });

  it('opens a return without RMA on the spot, for the seller owning the code, and makes staff choose a shared code', async () => {
    expect((await handheld('NEW-RETURN')).outcome).toBe('ok');
    const nobody = await handheld('0000000000000');
    expect(nobody.outcome).toBe('refused');
    const shared = await handheld('4006381333931');
    expect(shared.outcome).toBe('refused');
    expect(shared.message).toMatch(/4006381333931 is used by SELLER-A and SELLER-B: scan SELLER:<code>/);
    expect(await query(t.databaseUrl, 'select 1 from seller_return where unannounced')).toEqual([]);

    expect((await handheld('SELLER:SELLER-B')).outcome).toBe('ok');
    const first = await handheld('4006381333931', { qty: 2 });
    expect(first).toMatchObject({
      outcome: 'ok',
      detail: { sellerCode: 'SELLER-B', sku: 'SKU-S', qty: 2, unannounced: true },
    });
    const rmaNo = first.detail?.rmaNo as string;
    expect(rmaNo).toMatch(/^UR\d{16}$/);
    expect((await handheld('UNSELLABLE:opened box')).outcome).toBe('ok');
    expect((await handheld('4006381333931')).detail).toMatchObject({ rmaNo, grade: 'unsellable' });
    const done = await handheld('DONE');
    expect(done).toMatchObject({ outcome: 'ok', detail: { rmaNo, status: 'received' } });

    const bSees = await t.api('GET', `/api/seller/returns/${rmaNo}`, 'b');
    expect(bSees.body).toMatchObject({
      unannounced: true,
      status: 'received',
      lines: [{ sku: 'SKU-S', name: 'B shared-code soap', expected: 0, received: 3, sellable: 2, unsellable: 1 }],
    });
    expect((await t.api('GET', `/api/seller/returns/${rmaNo}`, 'a')).status).toBe(404);
    expect(await balanceOf('OWN-B', 'SKU-S', 'available', `RET-${rmaNo}`)).toBe(2);
    expect(await balanceOf('OWN-A', 'SKU-S', 'available', `RET-${rmaNo}`)).toBe(0);
    // after DONE nothing is open: goods are refused until the next RMA
    expect((await handheld('4006381333931')).outcome).toBe('refused');
  });

  it('tells the seller’s own sockets of each graded scan, and no other seller’s', async () => {
    expect(
      (
        await t.api('POST', '/api/seller/returns', 'a', {
          rmaNo: 'RMA-LIVE',
          warehouseCode: WH,
          reason: 'live',
          lines: [{ sku: 'SKU-2', qty: 2 }],
        })
      ).status,
    ).toBe(201);
    const a = await connectLive(t.server.url, tokens.a);
    const b = await connectLive(t.server.url, tokens.b);
    try {
      const heard: { a: SellerChange[]; b: SellerChange[] } = { a: [], b: [] };
      a.on(ServerToClient.sellerChanged, (c: SellerChange) => heard.a.push(c));
      b.on(ServerToClient.sellerChanged, (c: SellerChange) => heard.b.push(c));
      expect((await handheld('RMA-LIVE')).outcome).toBe('ok');
      expect((await handheld('6901234000023')).outcome).toBe('ok');
      // the events went out before these round trips; a socket's answer comes after what it was sent
      for (const socket of [a, b])
        await socket.timeout(5000).emitWithAck(ClientToServer.unwatchStation, { stationId: 'X' });
      expect(heard.a).toContainEqual(
        expect.objectContaining({
          kind: 'return',
          ref: 'RMA-LIVE',
          skus: ['SKU-2'],
          detail: expect.objectContaining({ grade: 'sellable' }),
        }),
      );
      expect(heard.a).toContainEqual(expect.objectContaining({ kind: 'stock', ref: 'SKU-2', warehouseCode: WH }));
      expect(heard.b).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
    expect((await handheld('DONE')).outcome).toBe('ok');
  });

  it('keeps the desk’s photos of returned goods for their seller only', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('IHDR-test'),
    ]);
    const upload = async (path: string, bytes: Buffer | null, type = 'image/png') => {
      const form = new FormData();
      if (bytes) form.append('photo', new Blob([new Uint8Array(bytes)], { type }), 'p.png');
      const res = await fetch(`${t.server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.staff}` },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };
    const stored = await upload(`/api/returns/RMA-EX/photos?warehouseCode=${WH}&sku=SKU-2`, png);
    expect(stored, JSON.stringify(stored.body)).toMatchObject({
      status: 201,
      body: { rmaNo: 'RMA-EX', sellerCode: 'SELLER-A', sku: 'SKU-2', contentType: 'image/png', bytes: png.length },
    });
    const refusals = await Promise.all([
      upload(`/api/returns/RMA-EX/photos?warehouseCode=${WH}`, Buffer.from('GIF89a not a jpeg'), 'image/jpeg'),
      upload(`/api/returns/RMA-EX/photos?warehouseCode=${WH}`, null),
      upload(`/api/returns/RMA-NONE/photos?warehouseCode=${WH}`, png),
      upload(`/api/returns/RMA-1/photos?warehouseCode=${WH}`, png),
      upload(`/api/returns/RMA-EX/photos?warehouseCode=${WH}&sku=SKU-9`, png),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([415, 400, 404, 409, 400]);
    expect(refusals[3].body.message).toMatch(/name the sellerCode/);

    const detail = await t.api('GET', '/api/seller/returns/RMA-EX', 'a');
    expect(detail.body.photos).toEqual([
      expect.objectContaining({ id: stored.body.id, sku: 'SKU-2', contentType: 'image/png', bytes: png.length }),
    ]);
    const got = await fetch(`${t.server.url}${detail.body.photos[0].url}`, {
      headers: { authorization: `Bearer ${tokens.a}` },
    });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toMatch(/^image\/png/);
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    const byB = await fetch(`${t.server.url}${detail.body.photos[0].url}`, {
      headers: { authorization: `Bearer ${tokens.b}` },
    });
    expect(byB.status).toBe(404);
  });

  it('leaves returns in the bonded centre to the customs return desk', async () => {
    const res = await t.api('POST', '/api/floor/scans', 'staff', {
      scanId: randomUUID(),
      operation: 'returns',
      warehouseCode: 'BC-T',
      stationId: 'HH-1',
      code: 'RMA-1',
    });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('refused');
    expect(res.body.message).not.toMatch(/RMA RMA-1/);
  });

  it('keeps every bucket equal to the sum of the ledger after any sequence of grades', async () => {
    const stock = new SellerStockRepository();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            grade: fc.constantFrom('SELLABLE', 'UNSELLABLE', 'DESTROY'),
            sku: fc.constantFrom('6901234000016', '6901234000023'),
            qty: fc.integer({ min: 1, max: 4 }),
            repeat: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (steps) => {
          run += 1;
          const opened = await t.api('POST', '/api/seller/returns', 'a', {
            rmaNo: `RMA-P${run}`,
            warehouseCode: WH,
            reason: 'property',
            lines: [
              { sku: 'SKU-1', qty: 100 },
              { sku: 'SKU-2', qty: 100 },
            ],
          });
          expect(opened.status).toBe(201);
          expect((await handheld(`RMA-P${run}`)).outcome).toBe('ok');
          const graded = { sellable: 0, unsellable: 0 };
          for (const step of steps) {
            expect((await handheld(step.grade)).outcome).toBe('ok');
            const scanId = randomUUID();
            expect((await handheld(step.sku, { qty: step.qty }, scanId)).outcome).toBe('ok');
            if (step.repeat) await handheld(step.sku, { qty: step.qty }, scanId);
            if (step.grade === 'SELLABLE') graded.sellable += step.qty;
            if (step.grade === 'UNSELLABLE') graded.unsellable += step.qty;
          }
          expect((await handheld('DONE')).outcome).toBe('ok');
          const disagreements = await centre.transaction((sql) => stock.disagreements(sql));
          expect(disagreements).toEqual([]);
          const [sums] = await query<{ available: number; unfulfillable: number }>(
            t.databaseUrl,
            `select coalesce(sum(qty) filter (where bucket = 'available'), 0)::int as available,
                    coalesce(sum(qty) filter (where bucket = 'unfulfillable'), 0)::int as unfulfillable
               from seller_stock_balance where lot_no = $1`,
            [`RET-RMA-P${run}`],
          );
          expect(sums).toEqual({ available: graded.sellable, unfulfillable: graded.unsellable });
        },
      ),
      { numRuns: 12 },
    );
  });
});
