import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CreditGrade, DEFAULT_INSPECTION_RATES, type InspectionRatesAnswer } from '@wms/contracts';
import { unitDraw } from '@wms/contracts/draw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { seedCustomsDemo } from '../src/dev/customs-demo.js';
import { DEMO_PARCELS } from '../src/dev/demo-data.js';

/**
 * Credit-graded inspection on the real server and PostgreSQL (issue 13): grades and rates through
 * the admin API (and who may set them), `GET /api/customs/inspection-rates` recomputed here from
 * the raw lists and receipts, and the WMS's own pre-selection holding a packed parcel.
 */
let app: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'wms-credit-'));

const ENTERPRISES: Record<CreditGrade, string> = {
  advanced_certified: 'CR-ADV',
  certified: 'CR-CERT',
  regular: 'CR-REG',
  dishonest: 'CR-DIS',
  seriously_dishonest: 'CR-SER',
};
/** Not graded: counts as regular. */
const UNGRADED = 'CR-NEW';
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  app = await startTestServer(
    'credit',
    {
      CUSTOMS_POLL_MS: '0',
      CUSTOMS_OUTBOX_DIR: join(dir, 'outbox'),
      CUSTOMS_INBOX_DIR: join(dir, 'inbox'),
      CREDIT_PRESELECTION: 'on',
      CREDIT_PRESELECTION_SEED: '7',
    },
    { officer: ['customs'], supervisor: ['supervisor'], staff: ['staff'] },
    { checkAnswers: true },
  );
});

afterAll(async () => {
  await app?.close();
});

/** Raw rows: lists, their declarations and receipts, as the customs pipeline leaves them. */
async function seedLists() {
  const db = app.databaseUrl;
  await query(
    db,
    `insert into enterprise (code, name, roles) select unnest($1::text[]), unnest($1::text[]) || ' Ltd', '{ebc}'`,
    [[...Object.values(ENTERPRISES), UNGRADED]],
  );
  await query(
    db,
    `insert into warehouse (code, name, kind) values ('CR-W1', 'Credit W1', 'consolidation'), ('CR-W2', 'Credit W2', 'consolidation')`,
  );
  const lists: Array<{ ebc: string; mode: string; warehouse: string; days: number; receipts: number[][] }> = [];
  const groups: Array<{ ebc: string; mode: string; ratePpm: number; n: number }> = [
    ...(Object.keys(ENTERPRISES) as CreditGrade[]).map((g) => ({
      ebc: ENTERPRISES[g],
      mode: '9610',
      ratePpm: DEFAULT_INSPECTION_RATES[g].ratePpm,
      n: 300,
    })),
    { ebc: ENTERPRISES.regular, mode: '9710', ratePpm: DEFAULT_INSPECTION_RATES.regular.b2bRatePpm!, n: 200 },
    { ebc: UNGRADED, mode: '9610', ratePpm: DEFAULT_INSPECTION_RATES.regular.ratePpm, n: 100 },
  ];
  for (const g of groups)
    for (let i = 0; i < g.n; i++) {
      const inspected = unitDraw(11, `${g.ebc}|${g.mode}|${i}`) * 1e6 < g.ratePpm;
      const rejected = !inspected && i % 17 === 0;
      lists.push({
        ebc: g.ebc,
        mode: g.mode,
        warehouse: i % 5 === 0 ? 'CR-W2' : 'CR-W1',
        days: 1,
        // one declaration: 120, then 500 (and 800 after the inspection), 100 or 800
        receipts: [inspected ? [120, 500, 800] : rejected ? [120, 100] : [120, 800]],
      });
    }
  // the edge cases: declared twice (rejected, then inspected); a duplicated 500; only an error;
  // only accepted (120) so far; declared before the period; no receipt at all
  lists.push({ ebc: ENTERPRISES.dishonest, mode: '9610', warehouse: 'CR-W1', days: 1, receipts: [[100], [120, 500]] });
  lists.push({ ebc: ENTERPRISES.certified, mode: '9610', warehouse: 'CR-W1', days: 1, receipts: [[120, 500, 500]] });
  lists.push({ ebc: ENTERPRISES.certified, mode: '9610', warehouse: 'CR-W1', days: 1, receipts: [[-301010]] });
  lists.push({ ebc: ENTERPRISES.advanced_certified, mode: '9610', warehouse: 'CR-W1', days: 1, receipts: [[120]] });
  lists.push({
    ebc: ENTERPRISES.advanced_certified,
    mode: '9610',
    warehouse: 'CR-W1',
    days: 60,
    receipts: [[120, 500]],
  });
  lists.push({ ebc: ENTERPRISES.regular, mode: '9610', warehouse: 'CR-W1', days: 1, receipts: [] });
  const rows = lists.map((l, i) => ({ ...l, copNo: `CR${String(i).padStart(6, '0')}` }));
  await query(
    db,
    `insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code, logistics_code,
       logistics_no, agent_code, head, lines, state, declared_at, declare_count)
     select x.cop_no, 'export', x.mode, x.warehouse, 'PLAT', 'O' || x.cop_no, x.ebc, 'LOGI', 'L' || x.cop_no, 'AG', '{}', '[]',
            'declared', now() - make_interval(days => x.days), 1
       from jsonb_to_recordset($1::jsonb) as x(cop_no text, mode text, warehouse text, ebc text, days int)`,
    [
      JSON.stringify(
        rows.map((r) => ({ cop_no: r.copNo, mode: r.mode, warehouse: r.warehouse, ebc: r.ebc, days: r.days })),
      ),
    ],
  );
  const messages = rows.flatMap((r) =>
    r.receipts.map((statuses, d) => ({ copNo: r.copNo, guid: randomUUID().toUpperCase(), statuses, d })),
  );
  await query(
    db,
    `insert into customs_message (guid, message_type, subject_kind, subject_id, file_name, xml, written_at)
     select x.guid, 'CEB603', 'list', l.id, 'CEB603_' || x.guid || '.xml', '<x/>', now()
       from jsonb_to_recordset($1::jsonb) as x(guid text, cop_no text) join inventory_list l on l.cop_no = x.cop_no`,
    [JSON.stringify(messages.map((m) => ({ guid: m.guid, cop_no: m.copNo })))],
  );
  const receipts = messages.flatMap((m) =>
    m.statuses.map((status, k) => ({
      guid: m.guid,
      status,
      time: `20261201${String(100000 + k).padStart(6, '0')}${k}00`,
    })),
  );
  await query(
    db,
    `insert into customs_receipt (message_type, guid, return_status, return_time, fields, file_name, changed_status)
     select 'CEB604', x.guid, x.status, x.time, '{}', 'CEB604_' || x.guid || '_' || x.status || '_' || x.time || '.xml', true
       from jsonb_to_recordset($1::jsonb) as x(guid text, status int, time text)`,
    [JSON.stringify(receipts)],
  );
}

/**
 * The rates recomputed from the raw rows in plain JavaScript: per list, answered when any receipt of
 * any of its declarations is 100 or more, inspected when one is 500.
 */
async function recompute(warehouse?: string) {
  const raw = await query<{
    cop_no: string;
    ebc_code: string;
    trade_mode: string;
    warehouse_code: string;
    declared_day: string;
    status: number | null;
  }>(
    app.databaseUrl,
    `select l.cop_no, l.ebc_code, l.trade_mode, l.warehouse_code,
            to_char(l.declared_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as declared_day, r.return_status as status
       from inventory_list l
       left join customs_message m on m.subject_id = l.id and m.subject_kind = 'list'
       left join customs_receipt r on r.guid = m.guid
      where l.cop_no like 'CR%'`,
  );
  const from = new Date(Date.parse(TODAY) - 30 * 86_400_000).toISOString().slice(0, 10);
  const byList = new Map<string, { ebc: string; answered: boolean; inspected: boolean }>();
  for (const r of raw) {
    if (r.declared_day < from || r.declared_day > TODAY) continue;
    if (warehouse && r.warehouse_code !== warehouse) continue;
    const l = byList.get(r.cop_no) ?? { ebc: r.ebc_code, answered: false, inspected: false };
    if (r.status !== null && r.status >= 100) l.answered = true;
    if (r.status === 500) l.inspected = true;
    byList.set(r.cop_no, l);
  }
  const byEnterprise = new Map<string, { lists: number; inspected: number }>();
  for (const l of byList.values()) {
    if (!l.answered) continue;
    const e = byEnterprise.get(l.ebc) ?? { lists: 0, inspected: 0 };
    e.lists++;
    if (l.inspected) e.inspected++;
    byEnterprise.set(l.ebc, e);
  }
  return byEnterprise;
}

describe('credit-graded inspection', () => {
  it('lets supervisors set grades and rates, never the customs officer or the floor staff', async () => {
    await seedLists();
    for (const as of ['officer', 'staff']) {
      const refused = await app.api('PUT', `/api/credit/enterprises/${ENTERPRISES.dishonest}`, as, {
        grade: 'dishonest',
      });
      expect(refused.status).toBe(403);
      expect(
        (
          await app.api('PUT', '/api/credit/inspection-rates', as, {
            rates: { regular: { ratePpm: 1, b2bRatePpm: null } },
          })
        ).status,
      ).toBe(403);
    }
    for (const [grade, code] of Object.entries(ENTERPRISES)) {
      const set = await app.api('PUT', `/api/credit/enterprises/${code}`, 'supervisor', {
        grade,
        reason: 'customs notice 2026-12',
      });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        enterpriseCode: code,
        grade,
        name: `${code} Ltd`,
        gradedBy: app.username('supervisor'),
      });
    }
    // a change is kept with the grade before it
    await app.api('PUT', `/api/credit/enterprises/${ENTERPRISES.regular}`, 'supervisor', { grade: 'dishonest' });
    const back = await app.api('PUT', `/api/credit/enterprises/${ENTERPRISES.regular}`, 'supervisor', {
      grade: 'regular',
      reason: 'appeal upheld',
    });
    expect(back.body.history.slice(0, 2)).toMatchObject([
      { grade: 'regular', previousGrade: 'dishonest', reason: 'appeal upheld' },
      { grade: 'dishonest', previousGrade: 'regular' },
    ]);
    const unknown = await app.api('PUT', '/api/credit/enterprises/NOBODY-AT-ALL', 'supervisor', { grade: 'certified' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/NOBODY-AT-ALL is not known: .*check the code/);
    const badGrade = await app.api('PUT', `/api/credit/enterprises/${UNGRADED}`, 'supervisor', { grade: 'excellent' });
    expect(badGrade.status).toBe(400);
    const b2bAbove = await app.api('PUT', '/api/credit/inspection-rates', 'supervisor', {
      rates: { certified: { ratePpm: 10_000, b2bRatePpm: 20_000 } },
    });
    expect(b2bAbove.status).toBe(400);
    expect(b2bAbove.body.message).toMatch(/cannot be above the grade's rate/);
    expect((await app.api('GET', '/api/credit/inspection-rates', 'staff')).status).toBe(403);
    const rates = await app.api('GET', '/api/credit/inspection-rates', 'supervisor');
    expect(rates.body.items.map((r: { grade: string; ratePpm: number }) => [r.grade, r.ratePpm])).toEqual(
      Object.entries(DEFAULT_INSPECTION_RATES).map(([g, r]) => [g, r.ratePpm]),
    );
  });

  it('shows customs the actual inspection rate by grade and enterprise, as recomputed from the raw receipts', async () => {
    expect((await app.api('GET', '/api/customs/inspection-rates', 'staff')).status).toBe(403);
    const answer = await app.api<InspectionRatesAnswer>('GET', '/api/customs/inspection-rates', 'officer');
    expect(answer.status).toBe(200);
    const expected = await recompute();
    const seen = answer.body.enterprises.filter((e) => e.enterpriseCode.startsWith('CR-'));
    expect(Object.fromEntries(seen.map((e) => [e.enterpriseCode, { lists: e.lists, inspected: e.inspected }]))).toEqual(
      Object.fromEntries(expected),
    );
    // the edge cases counted once each: twice declared, duplicated 500, error only (out), 120 only (in), before the period (out)
    expect(expected.get(ENTERPRISES.dishonest)!.lists).toBe(301);
    expect(expected.get(ENTERPRISES.certified)!.lists).toBe(301);
    expect(expected.get(ENTERPRISES.advanced_certified)!.lists).toBe(301);
    for (const e of seen) expect(e.actualRate).toBeCloseTo(e.inspected / e.lists, 6);
    // by grade: the sum of its enterprises; the ungraded enterprise counts as regular
    const regular = answer.body.grades.find((g) => g.grade === 'regular')!;
    const reg = expected.get(ENTERPRISES.regular)!;
    const fresh = expected.get(UNGRADED)!;
    expect(regular).toMatchObject({
      lists: reg.lists + fresh.lists,
      inspected: reg.inspected + fresh.inspected,
      enterprises: 2,
    });
    expect(seen.find((e) => e.enterpriseCode === UNGRADED)?.grade).toBe('regular');
    // configured: regular's 200 B2B lists at 2 %, its 300 others at 3 %
    const regEnt = seen.find((e) => e.enterpriseCode === ENTERPRISES.regular)!;
    expect(regEnt.configuredRate).toBeCloseTo((300 * 0.03 + 200 * 0.02) / 500, 6);
    expect(answer.body.grades.map((g) => g.grade)).toEqual(Object.keys(DEFAULT_INSPECTION_RATES));
    for (const g of answer.body.grades) expect(g.withinBound, g.grade).toBe(true);
    // the warehouse filter
    const w2 = await app.api<InspectionRatesAnswer>(
      'GET',
      '/api/customs/inspection-rates?warehouseCode=CR-W2',
      'officer',
    );
    const expectedW2 = await recompute('CR-W2');
    expect(
      Object.fromEntries(
        w2.body.enterprises.map((e) => [e.enterpriseCode, { lists: e.lists, inspected: e.inspected }]),
      ),
    ).toEqual(Object.fromEntries(expectedW2));
    // a period before any list: nothing, every grade still there with its configured rate
    const empty = await app.api<InspectionRatesAnswer>(
      'GET',
      '/api/customs/inspection-rates?from=2020-01-01&to=2020-01-31',
      'officer',
    );
    expect(empty.body.total.lists).toBe(0);
    expect(empty.body.grades.find((g) => g.grade === 'dishonest')?.configuredRate).toBe(0.8);
    const backwards = await app.api('GET', '/api/customs/inspection-rates?from=2026-12-01&to=2026-11-01', 'officer');
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/starts .* after it ends/);
    // the same rows as a file
    const res = await fetch(`${app.server.url}/api/customs/inspection-rates/export?format=csv`, {
      headers: { authorization: `Bearer ${await app.signIn('officer2', ['customs'])}` },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = await res.text();
    expect(csv).toContain(`enterprise,${ENTERPRISES.dishonest},`);
    expect(csv.split('\r\n').filter(Boolean).length).toBe(1 + 5 + seen.length);
  });

  it('pre-selects a packed parcel of a graded enterprise at its rate: held by credit-selection, which only customs lifts', async () => {
    await seedCustomsDemo(app.server.app, () => {});
    // every list of SELLER-DEMO at 100 %: the first packed parcel is held for inspection
    await app.api('PUT', '/api/credit/enterprises/SELLER-DEMO', 'supervisor', { grade: 'seriously_dishonest' });
    await app.api('PUT', '/api/credit/inspection-rates', 'supervisor', {
      rates: { seriously_dishonest: { ratePpm: 1_000_000, b2bRatePpm: null } },
    });
    await app.signIn('packer', ['staff']);
    const [first, second] = DEMO_PARCELS;
    const packed = await app.api('POST', `/api/parcels/${first.logisticsNo}/pack`, 'packer', {});
    expect(packed.status).toBe(201);
    expect(packed.body.inspection).toMatchObject({ grade: 'seriously_dishonest', ratePpm: 1_000_000, b2b: false });
    expect(packed.body.inspection.reason).toMatch(
      /pre-selected for inspection by credit grade: SELLER-DEMO is Seriously dishonest/,
    );
    const [list] = await query<{ hold_reason: string; held_by: string }>(
      app.databaseUrl,
      'select hold_reason, held_by from inventory_list where logistics_no = $1',
      [first.logisticsNo],
    );
    expect(list.held_by).toBe('credit-selection');
    const trace = await query<{ detail: { preselection: { grade: string } } }>(
      app.databaseUrl,
      `select detail from trace_event where object_id = $1 and biz_step = 'holding'`,
      [first.logisticsNo],
    );
    expect(trace[0].detail.preselection.grade).toBe('seriously_dishonest');
    // only customs lifts it (after the inspection): a supervisor may not
    const lift = await app.api('DELETE', `/api/customs/holds/${first.logisticsNo}`, 'supervisor', {
      reason: 'looked fine',
    });
    expect(lift.status).toBe(403);
    // at 0 ppm nothing is pre-selected
    await app.api('PUT', '/api/credit/inspection-rates', 'supervisor', {
      rates: { seriously_dishonest: { ratePpm: 0, b2bRatePpm: null } },
    });
    const notPicked = await app.api('POST', `/api/parcels/${second.logisticsNo}/pack`, 'packer', {});
    expect(notPicked.status).toBe(201);
    expect(notPicked.body.inspection).toBeNull();
  });
});
