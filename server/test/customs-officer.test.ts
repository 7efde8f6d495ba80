import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomsChange } from '@wms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomsAuthority } from '../../hardware-sim/src/customs/customs-authority.js';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { consumerOrderDocs, documentsBody } from '../../test/support/trade-docs.js';
import { AuditRepository } from '../src/platform/audit/audit.repository.js';
import { DomainEvents } from '../src/platform/events/domain-events.js';

/**
 * The customs officer's actions (issue 13) on the real stack — real PostgreSQL, the customs
 * simulator on the real folders: a hold and a lift each need a reason and are signed by the
 * officer; an inspection result never releases a parcel (the 800 receipt does), a discrepancy keeps
 * it held; parcels by situation with counts and pages; and every request of a customs user, reads
 * included, is in an audit log no API can change.
 */
const suffix = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'wms-officer-'));
chmodSync(dir, 0o755);
const WH = 'BC13';
const EMS = 'T5165W000013';
const OWNER = 'OWN0000013';
const parcel = (n: number) => `YTO${suffix}${n}`;
let app: TestServer;
const api: TestServer['api'] = (method, path, as, body) => app.api(method, path, as, body);
let databaseUrl: string;
let authority: CustomsAuthority;
const gate = (n: number) => api('POST', '/api/gate/passes', 'staff', { logisticsNo: parcel(n), readPoint: 'GATE-O' });
const status = async (n: number) =>
  (
    await query<{ customs_status: number | null }>(
      databaseUrl,
      'select customs_status from inventory_list where logistics_no = $1',
      [parcel(n)],
    )
  )[0]?.customs_status;
const auditRows = async (where = 'true', params: unknown[] = []) => {
  await app.server.app.get(AuditRepository).flushed();
  return query<{ username: string; method: string; route: string; status: number; outcome: string; body: unknown }>(
    databaseUrl,
    `select username, method, route, status, outcome, body, error_code, params, query from customs_audit where ${where} order by id`,
    params,
  );
};
// the smallest PNG there is (1×1)
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  app = await startTestServer(
    'officer',
    { CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'), CUSTOMS_INBOX_DIR: join(dir, 'inbox'), CUSTOMS_POLL_MS: '100' },
    { super: ['supervisor'], staff: ['staff'] },
    { checkAnswers: true },
  );
  await app.signIn('officer', ['customs'], 'Officer Wang');
  await app.signIn('officer2', ['customs'], 'Officer Li');
  databaseUrl = app.databaseUrl;
  authority = new CustomsAuthority({
    outbox: join(dir, 'outbox'),
    inbox: join(dir, 'inbox'),
    seed: 13,
    mix: { release: 1 },
    overrides: { [parcel(2)]: 'inspect', [parcel(3)]: 'inspect' },
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    pollMs: 50,
  });
  authority.start();
  const md = await api('POST', '/api/master-data', 'super', {
    enterprises: [
      { code: OWNER, name: 'Officer Seller', roles: ['ebc', 'owner'] },
      { code: 'PLATO00013', name: 'Platform', roles: ['ebp'] },
      { code: 'PAYO000013', name: 'Pay', roles: ['pay'] },
      { code: 'LOGIO00013', name: 'Express', roles: ['logistics'] },
    ],
    warehouses: [
      {
        code: WH,
        name: 'Officer centre',
        kind: 'bonded-centre',
        customsCode: '5165',
        loctNo: '5165W13',
        emsNo: EMS,
        gateRequiresWeighing: false,
        gateRequiresLabel: false,
        zones: [{ code: 'BZ', kind: 'bonded', locations: ['O-01'] }],
      },
    ],
    goods: [
      {
        ownerCode: OWNER,
        sku: 'GO1',
        gcode: '3304990010',
        name: 'Toner',
        unit: '011',
        declaredPrice: '99.00',
        country: '116',
        grossGrams: 300,
      },
    ],
    bookLines: [{ emsNo: EMS, putrecSeqno: 1, itemNo: 'GO1', gcode: '3304990010', gname: '爽肤水', unit: '011' }],
  });
  expect(md.status, JSON.stringify(md.body)).toBe(201);
  const entry = await api('POST', '/api/bonded/entries', 'staff', {
    warehouseCode: WH,
    docNo: `QDO${suffix}`,
    ownerCode: OWNER,
    lines: [{ sku: 'GO1', batch: 'B1', qty: 20, location: 'O-01' }],
  });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  const docs = [1, 2, 3, 4].map((n) =>
    consumerOrderDocs({
      warehouseCode: WH,
      ebpCode: 'PLATO00013',
      ebcCode: OWNER,
      payCode: 'PAYO000013',
      logisticsCode: 'LOGIO00013',
      orderNo: `SOO${suffix}${n}`,
      logisticsNo: parcel(n),
      sku: 'GO1',
      qty: 1,
      buyer: 7000 + n,
      declaredKg: '0.30',
    }),
  );
  const imported = await api('POST', '/api/customs/documents?wait=true', 'super', documentsBody(docs));
  expect(imported.body, JSON.stringify(imported.body)).toMatchObject({ failed: 0 });
  const declared = await api('POST', '/api/customs/declarations', 'super', { direction: 'import', all: true });
  expect(declared.body, JSON.stringify(declared.body)).toMatchObject({ declared: 4, refused: 0 });
  await authority.settle();
  await waitFor('customs to release two and inspect two', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(status));
    return all.join() === '800,500,500,800';
  });
  for (const n of [1, 2, 3, 4])
    expect((await api('POST', `/api/parcels/${parcel(n)}/pack`, 'staff', {})).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await authority?.stop();
  await app?.close();
});

describe('holds and lifts: a reason for both, each signed by the officer', () => {
  it('refuses a hold without a reason, with what to send', async () => {
    const none = await api('POST', '/api/customs/holds', 'officer', { logisticsNo: parcel(1) });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(none.body.message).toMatch(/reason: say why the parcel is held: send \{ "reason": /);
    const short = await api('POST', '/api/customs/holds', 'officer', { logisticsNo: parcel(1), reason: ' x ' });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/say why the parcel is held in at least 3 characters/);
    expect((await api('GET', `/api/customs/parcels/${parcel(1)}`, 'officer')).body.hold).toBeNull();
  });

  it('holds with a reason, signed; the gate refuses the parcel; a second hold is refused', async () => {
    const heard: CustomsChange[] = [];
    const stop = app.server.app.get(DomainEvents).on('customs.changed', (c) => heard.push(c));
    const held = await api('POST', '/api/customs/holds', 'officer', {
      logisticsNo: parcel(1),
      reason: 'x-ray shows liquids',
    });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect(held.body).toMatchObject({
      logisticsNo: parcel(1),
      held: true,
      reason: 'x-ray shows liquids',
      signedBy: { username: app.username('officer'), name: 'Officer Wang', userId: expect.any(String) },
    });
    const [user] = await query<{ id: string }>(databaseUrl, 'select id from app_user where username = $1', [
      app.username('officer'),
    ]);
    expect(held.body.signedBy.userId).toBe(user.id);
    // the console's customs room hears it, after the commit
    stop();
    expect(heard).toMatchObject([
      { kind: 'hold', ref: parcel(1), warehouseCode: WH, summary: `Hold placed on ${parcel(1)}: x-ray shows liquids` },
    ]);
    const refused = await gate(1);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('GATE_REFUSED');
    const again = await api('POST', '/api/customs/holds', 'officer2', { logisticsNo: parcel(1), reason: 'second' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already held by Officer Wang \(x-ray shows liquids\)/);
  });

  it('refuses a lift without a reason, and a supervisor lifting a customs hold', async () => {
    const silent = await api('DELETE', `/api/customs/holds/${parcel(1)}`, 'officer');
    expect(silent.status).toBe(400);
    expect(silent.body.message).toMatch(/say why the customs hold of parcel .* is lifted: send \{ "reason"/);
    const empty = await api('DELETE', `/api/customs/holds/${parcel(1)}`, 'officer', {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/reason: say why the hold is lifted/);
    const supervisor = await api('DELETE', `/api/customs/holds/${parcel(1)}`, 'super', { reason: 'looks fine' });
    expect(supervisor.status).toBe(403);
    expect((await gate(1)).status).toBe(409);
  });

  it('lifts with a reason, signed by another officer; both signatures stay with the hold; the gate lets it go', async () => {
    const lifted = await api('DELETE', `/api/customs/holds/${parcel(1)}`, 'officer2', {
      reason: 'opened: toner as declared',
    });
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    expect(lifted.body).toMatchObject({
      held: false,
      reason: 'opened: toner as declared',
      liftedHold: 'x-ray shows liquids',
      signedBy: { username: app.username('officer2'), name: 'Officer Li' },
    });
    const rows = await query(
      databaseUrl,
      'select reason, placed_by, placed_by_name, lift_reason, lifted_by, lifted_by_name, lifted_at from customs_hold where logistics_no = $1',
      [parcel(1)],
    );
    expect(rows).toEqual([
      {
        reason: 'x-ray shows liquids',
        placed_by: app.username('officer'),
        placed_by_name: 'Officer Wang',
        lift_reason: 'opened: toner as declared',
        lifted_by: app.username('officer2'),
        lifted_by_name: 'Officer Li',
        lifted_at: expect.any(Date),
      },
    ]);
    const events = (await api('GET', `/api/customs/history/parcels/${parcel(1)}`, 'officer')).body.events;
    expect(events.filter((e: { bizStep: string }) => e.bizStep === 'holding')).toMatchObject([
      { disposition: 'held', detail: { reason: 'x-ray shows liquids', signedBy: { name: 'Officer Wang' } } },
      { disposition: 'hold_lifted', detail: { reason: 'opened: toner as declared', signedBy: { name: 'Officer Li' } } },
    ]);
    expect((await gate(1)).status).toBe(201);
  });
});

describe('parcels by situation', () => {
  it('counts each situation and pages the lists with their total', async () => {
    const counts = await api('GET', `/api/customs/parcel-situations?warehouseCode=${WH}`, 'officer');
    expect(counts.status, JSON.stringify(counts.body)).toBe(200);
    expect(counts.body.counts).toEqual({ held: 0, inspection: 2, detained: 0, rejected: 0, returned: 0, overdue: 0 });
    // parcel 4, declared five days ago and still inside, is overdue at the default 72 hours, not at 200
    await query(
      databaseUrl,
      "update inventory_list set declared_at = now() - interval '5 days' where logistics_no = $1",
      [parcel(4)],
    );
    const overdue = await api('GET', `/api/customs/parcel-situations?warehouseCode=${WH}`, 'officer');
    expect(overdue.body.counts.overdue).toBe(1);
    const longer = await api('GET', `/api/customs/parcel-situations?warehouseCode=${WH}&overdueHours=200`, 'officer');
    expect(longer.body.counts.overdue).toBe(0);
    const overdueList = await api('GET', `/api/customs/parcels?filter=overdue&warehouseCode=${WH}`, 'officer');
    expect(overdueList.body.items.map((i: { logisticsNo: string }) => i.logisticsNo)).toEqual([parcel(4)]);
    const first = await api('GET', `/api/customs/parcels?filter=inspection&warehouseCode=${WH}&limit=1`, 'officer');
    expect(first.body).toMatchObject({ total: 2, offset: 0, nextOffset: 1 });
    expect(first.body.items).toHaveLength(1);
    const second = await api(
      'GET',
      `/api/customs/parcels?filter=inspection&warehouseCode=${WH}&limit=1&offset=1`,
      'officer',
    );
    expect(second.body).toMatchObject({ total: 2, offset: 1, nextOffset: null });
    expect([first.body.items[0].logisticsNo, second.body.items[0].logisticsNo].sort()).toEqual([parcel(2), parcel(3)]);
    const bad = await api('GET', '/api/customs/parcels?filter=lost', 'officer');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/filter/);
  });
});

describe('inspection results: the WMS follows them, release comes only from the receipt', () => {
  it('refuses a result for a parcel customs did not select nor hold', async () => {
    const res = await api('POST', `/api/customs/inspections/${parcel(4)}/results`, 'officer', {
      result: 'as-declared',
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/is not under inspection \(customs status 800\) nor held by customs/);
  });

  it('found as declared does not release the parcel: the gate waits for the 800 receipt', async () => {
    const queue = await api('GET', `/api/customs/inspections?warehouseCode=${WH}`, 'officer');
    expect(queue.body.items.map((i: { parcel: { logisticsNo: string } }) => i.parcel.logisticsNo).sort()).toEqual([
      parcel(2),
      parcel(3),
    ]);
    const res = await api('POST', `/api/customs/inspections/${parcel(2)}/results`, 'officer', {
      result: 'as-declared',
      notes: 'opened, 1 toner',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ result: 'as-declared', held: false, customsStatus: 500 });
    expect(res.body.next).toMatch(/waits for the customs release receipt \(800\)/);
    expect(await status(2)).toBe(500);
    const refused = await gate(2);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/inspection/);
    // recorded: off the waiting queue, on the recorded one
    const waiting = await api('GET', `/api/customs/inspections?warehouseCode=${WH}`, 'officer');
    expect(waiting.body.items.map((i: { parcel: { logisticsNo: string } }) => i.parcel.logisticsNo)).toEqual([
      parcel(3),
    ]);
    expect(authority.conclude(parcel(2), 'release')).toBe(true);
    await waitFor('the 800 after inspection', async () => (await status(2)) === 800);
    expect((await gate(2)).status).toBe(201);
  });

  it('a discrepancy needs notes, keeps the parcel held for customs even after an 800, and takes photos', async () => {
    const bare = await api('POST', `/api/customs/inspections/${parcel(3)}/results`, 'officer', {
      result: 'discrepancy',
    });
    expect(bare.status).toBe(400);
    expect(bare.body.message).toMatch(/notes: say what differs from the declaration/);
    const res = await api('POST', `/api/customs/inspections/${parcel(3)}/results`, 'officer', {
      result: 'discrepancy',
      notes: '1 declared, 3 found',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ held: true, signedBy: { name: 'Officer Wang' } });
    const view = (await api('GET', `/api/customs/parcels/${parcel(3)}`, 'officer')).body;
    expect(view.hold).toMatchObject({ kind: 'customs', reason: 'inspection discrepancy: 1 declared, 3 found' });

    const form = new FormData();
    form.append('photo', new Blob([PNG], { type: 'image/png' }), 'found.png');
    const token = await app.signIn('officer', ['customs'], 'Officer Wang');
    const upload = await fetch(`${app.server.url}/api/customs/inspection-results/${res.body.id}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const stored = (await upload.json()) as { id: string; url: string; bytes: number };
    expect(upload.status, JSON.stringify(stored)).toBe(201);
    expect(stored.bytes).toBe(PNG.length);
    const photo = await fetch(`${app.server.url}${stored.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).toBe(true);
    const notPicture = new FormData();
    notPicture.append('photo', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    const wrong = await fetch(`${app.server.url}/api/customs/inspection-results/${res.body.id}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: notPicture,
    });
    expect(wrong.status).toBe(415);

    const recorded = await api('GET', `/api/customs/inspections?warehouseCode=${WH}&state=recorded`, 'officer');
    const item = recorded.body.items.find(
      (i: { parcel: { logisticsNo: string } }) => i.parcel.logisticsNo === parcel(3),
    );
    expect(item.results).toMatchObject([{ result: 'discrepancy', photos: [{ id: stored.id, type: 'image/png' }] }]);
    expect(item.holds).toMatchObject([{ reason: 'inspection discrepancy: 1 declared, 3 found', liftedAt: null }]);

    // customs releases it, the officer's hold still stands at the gate
    expect(authority.conclude(parcel(3), 'release')).toBe(true);
    await waitFor('the 800 after inspection', async () => (await status(3)) === 800);
    const gateRefused = await gate(3);
    expect(gateRefused.status).toBe(409);
    expect(gateRefused.body.message).toMatch(/held/);
  });
});

describe('trace: one search box, and the timeline of what it finds', () => {
  it('finds a parcel by any of its documents, a book line, a bag by its scanned SSCC; nothing for an unknown code', async () => {
    const [list] = await query<{ order_no: string; invt_no: string; cop_no: string }>(
      databaseUrl,
      'select order_no, invt_no, cop_no from inventory_list where logistics_no = $1',
      [parcel(1)],
    );
    for (const code of [parcel(1), list.order_no, list.invt_no, list.cop_no]) {
      const found = await api('GET', `/api/customs/trace/search?code=${encodeURIComponent(code)}`, 'officer');
      expect(found.status, JSON.stringify(found.body)).toBe(200);
      expect(found.body.matches).toMatchObject([{ kind: 'parcel', ref: parcel(1) }]);
    }
    const line = await api('GET', `/api/customs/trace/search?code=${EMS}/1`, 'officer');
    expect(line.body.matches).toMatchObject([{ kind: 'book-line', ref: `${EMS}/1`, matchedBy: 'putrecSeqno' }]);
    const bag = (await api('POST', '/api/floor/units', 'staff', { warehouseCode: WH, kind: 'bag' })).body.sscc;
    const unit = await api('GET', `/api/customs/trace/search?code=00${bag}`, 'officer');
    expect(unit.body).toMatchObject({ code: bag, matches: [{ kind: 'unit', ref: bag }] });
    const unitTimeline = await api('GET', `/api/customs/trace/timeline?kind=unit&ref=${bag}`, 'officer');
    expect(unitTimeline.body.timeline).toMatchObject([{ source: 'unit', step: 'packing', disposition: 'created' }]);
    expect((await api('GET', '/api/customs/trace/search?code=NOTHING-LIKE-IT', 'officer')).body.matches).toEqual([]);
    const missing = await api('GET', '/api/customs/trace/timeline?kind=parcel&ref=NOTHING-LIKE-IT', 'officer');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/no parcel NOTHING-LIKE-IT is known: search the code/);
  });

  it("reads a parcel's timeline: who, where, when, the documents, the receipts, the book and the signed hold", async () => {
    const res = await api('GET', `/api/customs/trace/timeline?kind=parcel&ref=${parcel(1)}`, 'officer');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { documents, timeline } = res.body as {
      documents: Record<string, string | null>;
      timeline: Array<{ source: string; step: string; who: string | null; summary: string; at: string }>;
    };
    expect(documents).toMatchObject({ logisticsNo: parcel(1), gatePassNo: expect.stringMatching(/^GP/) });
    expect(documents.invtNo).toBeTruthy();
    const sources = new Set(timeline.map((e) => e.source));
    for (const s of ['event', 'receipt', 'message', 'movement']) expect(sources).toContain(s);
    expect(timeline.map((e) => e.summary)).toEqual(
      expect.arrayContaining([
        'holding · held: x-ray shows liquids',
        'holding · hold_lifted: opened: toner as declared',
        expect.stringMatching(/^customs receipt 800/),
      ]),
    );
    const held = timeline.find((e) => e.summary === 'holding · held: x-ray shows liquids');
    expect(held?.who).toBe(app.username('officer'));
    const times = timeline.map((e) => new Date(e.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const book = await api('GET', `/api/customs/trace/timeline?kind=book-line&ref=${EMS}/1`, 'officer');
    expect(book.body.timeline.some((e: { source: string }) => e.source === 'movement')).toBe(true);
  });
});

describe('the audit log of customs users', () => {
  it('has every read and action of an officer, refused ones too, and nothing of the floor', async () => {
    await api('GET', `/api/customs/parcel-situations?warehouseCode=${WH}`, 'officer2');
    await api('POST', '/api/customs/declarations', 'officer2', { direction: 'import', all: true });
    const rows = await auditRows('username = $1', [app.username('officer2')]);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: 'POST',
          route: '/api/customs/holds',
          status: 409,
          outcome: 'refused',
          error_code: 'CONFLICT',
          body: { logisticsNo: parcel(1), reason: 'second' },
        }),
        expect.objectContaining({
          method: 'DELETE',
          route: '/api/customs/holds/{logisticsNo}',
          status: 200,
          outcome: 'ok',
          params: { logisticsNo: parcel(1) },
          body: { reason: 'opened: toner as declared' },
        }),
        expect.objectContaining({
          method: 'GET',
          route: '/api/customs/parcel-situations',
          outcome: 'ok',
          query: { warehouseCode: WH },
          body: null,
        }),
        expect.objectContaining({
          method: 'POST',
          route: '/api/customs/declarations',
          status: 403,
          outcome: 'refused',
          error_code: 'FORBIDDEN',
        }),
      ]),
    );
    const photo = await auditRows("route = '/api/customs/inspection-results/{id}/photos' and status = 201");
    expect(photo[0].body).toEqual({ file: { name: 'found.png', type: 'image/png', bytes: PNG.length } });
    expect(
      await auditRows("username in ($1, $2) or route like '/api/gate%'", [
        app.username('staff'),
        app.username('super'),
      ]),
    ).toEqual([]);
  });

  it('is read with filters, newest first, page by page', async () => {
    const page = await api('GET', `/api/customs/audit?username=${app.username('officer2')}&limit=2`, 'officer');
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextBefore).toEqual(expect.any(Number));
    const next = await api(
      'GET',
      `/api/customs/audit?username=${app.username('officer2')}&limit=500&before=${page.body.nextBefore}`,
      'officer',
    );
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(page.body.items[1].id));
    const refused = await api('GET', '/api/customs/audit?outcome=refused&route=holds', 'officer');
    expect(refused.body.items.length).toBeGreaterThanOrEqual(4);
    expect(refused.body.items.every((i: { outcome: string; route: string }) => i.outcome === 'refused')).toBe(true);
    const wrong = await api('GET', '/api/customs/audit?from=yesterday', 'officer');
    expect(wrong.status).toBe(400);
  });

  it('cannot be changed or deleted: no route writes it and the database refuses', async () => {
    const doc = (await (await fetch(`${app.server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const auditPaths = Object.entries(doc.paths).filter(([p]) => p.includes('audit'));
    expect(auditPaths.map(([p, ops]) => [p, Object.keys(ops).filter((m) => m !== 'parameters')])).toEqual([
      ['/api/customs/audit', ['get']],
    ]);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect((await api(method, '/api/customs/audit', 'officer', {})).status).toBe(404);
    for (const sql of ['update customs_audit set username = $1', 'delete from customs_audit where username <> $1'])
      await expect(query(databaseUrl, sql, ['x'])).rejects.toThrow(/append-only/);
    // the application's own role is not even granted it
    await expect(query(databaseUrl, 'set role wms_app; delete from customs_audit')).rejects.toThrow(
      /permission denied/,
    );
    await expect(query(databaseUrl, 'truncate customs_audit')).rejects.toThrow(/append-only/);
    expect((await auditRows()).length).toBeGreaterThan(10);
  });
});
