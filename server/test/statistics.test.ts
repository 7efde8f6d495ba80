import type { StatisticsGroup, StatisticsTable } from '@wms/contracts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, waitFor } from '../../test/support/services.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import { percentileOfBuckets, releaseBucket } from '../src/modules/statistics/statistics.rules.js';
import { StatisticsRollupJob } from '../src/modules/statistics/statistics-rollup.job.js';

/**
 * Statistics from the declaration data (issue 13) on the real PostgreSQL: lists, lines, orders and
 * receipts are written as raw rows, the rollup job takes them through the triggers' change queue,
 * and every figure the API answers is recomputed here from the raw rows themselves.
 */
let t: TestServer;
let officerToken = '';
const MODES = ['1210', '1239', '9610', '9710', '9810'] as const;
const GOODS = [
  ['3304990010', 'face cream'],
  ['3304100000', 'lip stick'],
  ['1901101000', 'infant formula'],
  ['8517120000', 'mobile phone'],
  ['6403990090', 'leather shoes'],
] as const;
const EBCS = ['EBC-A', 'EBC-B', 'EBC-C', 'EBC-D'];
const COUNTRIES = ['116', '133', '502', '303'];
const BASE = Date.parse('2026-10-20T09:00:00Z');
const HOUR = 3_600_000;
const N = 90;

/** YYYYMMDDhhmmss in China Standard Time (customs receipts' returnTime). */
const cst = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace(/[-:T]/g, '').slice(0, 14);
const localDay = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

interface Seed {
  id: number;
  declaredAt: number | null;
  cancelled: boolean;
  receipts: Array<{ guid: number; status: number; atSeconds: number; changed: boolean }>;
}

function seedRows() {
  const lists: string[] = [];
  const orders: string[] = [];
  const messages: string[] = [];
  const receipts: string[] = [];
  const seeds: Seed[] = [];
  for (let i = 1; i <= N; i++) {
    const mode = MODES[i % 5];
    const direction = mode === '1210' || mode === '1239' || (mode === '9610' && i % 3 === 0) ? 'import' : 'export';
    const wh = i % 3 === 0 ? 'CW01' : 'BC01';
    const declaredAt = i % 13 === 0 ? null : BASE + i * 19 * HOUR + (i % 7) * 60_000;
    const cancelled = i % 17 === 0;
    const state = declaredAt === null ? 'draft' : cancelled ? 'cancelled' : i % 4 === 2 ? 'rejected' : 'declared';
    const lines = Array.from({ length: 1 + (i % 3) }, (_, k) => {
      const [gcode, gname] = GOODS[(i + k * 2) % GOODS.length];
      const total = ((i * 7 + k * 13) % 50) * 10 + 9.99;
      return {
        gnum: k + 1,
        itemNo: `SKU-${k}`,
        units: 1,
        ownerCode: EBCS[i % 4],
        sku: `SKU-${k}`,
        putrecSeqno: null,
        values: { gcode, gname, totalPrice: total.toFixed(2), qty1: String(1 + k), itemName: gname },
      };
    });
    const head = {
      country: COUNTRIES[i % 4],
      packNo: String(1 + (i % 2)),
      grossWeight: (0.25 + (i % 9) * 0.125).toFixed(3),
    };
    const at = declaredAt === null ? 'null' : `'${new Date(declaredAt).toISOString()}'`;
    lists.push(
      `(${i}, 'COP${i}', '${direction}', '${mode}', '${wh}', 'EBP-${1 + (i % 2)}', 'ORD${i}', '${EBCS[i % 4]}', 'LOG-${1 + (i % 3 === 1 ? 1 : 0)}', 'LN${i}', 'AG1', '${JSON.stringify(head)}', '${JSON.stringify(lines)}', '${state}', ${at}, ${i % 9 === 0 ? `'weight off by 12%'` : i % 11 === 0 ? `'customs check'` : 'null'}, ${i % 9 === 0 ? `'weight-check'` : i % 11 === 0 ? `'officer'` : 'null'}, ${i % 9 === 0 || i % 11 === 0 ? `now() - interval '${i * 3} hours'` : 'null'}, ${i === 33 ? 'now()' : 'null'})`,
    );
    orders.push(
      `('${direction}', 'EBP-${1 + (i % 2)}', 'ORD${i}', '${EBCS[i % 4]}', '{"taxTotal": "${direction === 'import' ? ((i % 5) * 3.3).toFixed(2) : '0'}"}')`,
    );
    const seed: Seed = { id: i, declaredAt, cancelled, receipts: [] };
    if (declaredAt !== null) {
      messages.push(`('G${i}-1', 'CEB621', 'list', ${i}, 'f${i}-1', '')`);
      const r = (guid: number, status: number, atSeconds: number, changed = true) =>
        seed.receipts.push({ guid, status, atSeconds, changed });
      const d = 30 + ((i * 7919) % 20_000);
      if (i % 4 === 0) {
        r(1, 120, 5);
        r(1, 800, d);
        r(1, 120, d + 60, false); // a late 120 after the release: noise
      } else if (i % 4 === 1) {
        r(1, 120, 5);
        r(1, 500, 600);
        if (i % 8 === 1) r(1, 800, d + 3600);
      } else if (i % 4 === 2) {
        r(1, 100, 300);
        if (i % 8 === 2) {
          messages.push(`('G${i}-2', 'CEB621', 'list', ${i}, 'f${i}-2', '')`);
          r(1, 800, 400, false); // a release for the declaration no longer in force
          r(2, 800, d * 2);
        }
      } else if (i % 8 === 3) r(1, -301, 50);
      else r(1, 120, 20);
      for (const x of seed.receipts)
        receipts.push(
          `('CEB622', 'G${i}-${x.guid}', ${x.status}, '${cst(declaredAt + x.atSeconds * 1000)}', '{}', 'r${i}', ${x.changed})`,
        );
    }
    seeds.push(seed);
  }
  return { lists, orders, messages, receipts, seeds };
}

interface Fact {
  day: string;
  month: string;
  tradeMode: string;
  direction: string;
  warehouse: string;
  ebp: string;
  ebc: string;
  logistics: string;
  country: string;
  parcels: number;
  cents: number;
  grams: number;
  taxCents: number;
  released: boolean;
  rejected: boolean;
  inspected: boolean;
  releaseSeconds: number | null;
  goods: Map<string, number>;
}

/** Every declared, not cancelled list's figures, recomputed from the raw rows in the database. */
async function factsFromRawRows(): Promise<Fact[]> {
  const rows = await query<{
    id: string;
    declared_at: Date | null;
    state: string;
    trade_mode: string;
    direction: string;
    warehouse_code: string;
    ebp_code: string;
    ebc_code: string;
    logistics_code: string;
    head: Record<string, string>;
    lines: Array<{ values: Record<string, string> }>;
    time_zone: string;
    tax: string | null;
  }>(
    t.databaseUrl,
    `select l.*, w.time_zone, o.doc->>'taxTotal' as tax from inventory_list l join warehouse w on w.code = l.warehouse_code
     left join trade_order o on o.ebp_code = l.ebp_code and o.order_no = l.order_no`,
  );
  const receipts = await query<{
    subject_id: string;
    return_status: number;
    return_time: string;
    changed_status: boolean;
  }>(
    t.databaseUrl,
    `select m.subject_id, r.return_status, r.return_time, r.changed_status from customs_receipt r
     join customs_message m on m.guid = r.guid and m.subject_kind = 'list'`,
  );
  const cents = (v: string | undefined) => Math.round(Number(v ?? 0) * 100);
  const fromCst = (s: string) =>
    Date.parse(
      `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}+08:00`,
    );
  return rows
    .filter((l) => l.declared_at !== null && l.state !== 'cancelled')
    .map((l) => {
      const mine = receipts.filter((r) => r.subject_id === l.id);
      const declared = new Date(l.declared_at as Date).getTime();
      const releases = mine
        .filter((r) => r.return_status === 800 && r.changed_status)
        .map((r) => fromCst(r.return_time));
      const goods = new Map<string, number>();
      for (const line of l.lines)
        goods.set(line.values.gcode, (goods.get(line.values.gcode) ?? 0) + cents(line.values.totalPrice));
      const day = localDay(declared, l.time_zone);
      return {
        day,
        month: day.slice(0, 7),
        tradeMode: l.trade_mode,
        direction: l.direction,
        warehouse: l.warehouse_code,
        ebp: l.ebp_code,
        ebc: l.ebc_code,
        logistics: l.logistics_code,
        country: l.head.country,
        parcels: Number(l.head.packNo),
        cents: [...goods.values()].reduce((a, b) => a + b, 0),
        grams: Math.round(Number(l.head.grossWeight) * 1000),
        taxCents: cents(l.tax ?? '0'),
        released: releases.length > 0,
        rejected: mine.some((r) => r.return_status === 100 || r.return_status < 0),
        inspected: mine.some((r) => r.return_status === 500),
        releaseSeconds: releases.length ? (Math.min(...releases) - declared) / 1000 : null,
        goods,
      };
    });
}

const TIMED = new Set<StatisticsGroup>([
  'day',
  'month',
  'tradeMode',
  'direction',
  'warehouse',
  'ebp',
  'ebc',
  'logistics',
  'country',
]);

/** The table the API should answer, from the facts: one row per key. */
function expectedRows(facts: Fact[], group: StatisticsGroup) {
  const rows = new Map<
    string,
    {
      lists: number;
      parcels: number;
      cents: number;
      grams: number;
      taxCents: number;
      released: number;
      rejected: number;
      inspected: number;
      times: number[];
    }
  >();
  const add = (key: string, f: Fact, cents: number) => {
    const r = rows.get(key) ?? {
      lists: 0,
      parcels: 0,
      cents: 0,
      grams: 0,
      taxCents: 0,
      released: 0,
      rejected: 0,
      inspected: 0,
      times: [],
    };
    r.lists++;
    r.parcels += f.parcels;
    r.cents += cents;
    r.grams += f.grams;
    r.taxCents += f.taxCents;
    r.released += Number(f.released);
    r.rejected += Number(f.rejected);
    r.inspected += Number(f.inspected);
    if (f.releaseSeconds !== null) r.times.push(f.releaseSeconds);
    rows.set(key, r);
  };
  for (const f of facts) {
    if (group === 'chapter') {
      const chapters = new Map<string, number>();
      for (const [g, c] of f.goods) chapters.set(g.slice(0, 2), (chapters.get(g.slice(0, 2)) ?? 0) + c);
      for (const [ch, c] of chapters) add(ch, f, c);
    } else if (group === 'goods') for (const [g, c] of f.goods) add(g, f, c);
    else add(String(f[group as keyof Fact]), f, f.cents);
  }
  return new Map(
    [...rows].map(([key, r]) => {
      const buckets = new Map<number, number>();
      for (const s of r.times) buckets.set(releaseBucket(s), (buckets.get(releaseBucket(s)) ?? 0) + 1);
      return [
        key,
        {
          lists: r.lists,
          parcels: r.parcels,
          value: (r.cents / 100).toFixed(2),
          weightGrams: r.grams,
          tax: (r.taxCents / 100).toFixed(2),
          released: r.released,
          rejected: r.rejected,
          inspected: r.inspected,
          releaseP50Seconds: TIMED.has(group) ? percentileOfBuckets(buckets, 50) : null,
          releaseP90Seconds: TIMED.has(group) ? percentileOfBuckets(buckets, 90) : null,
          times: r.times,
        },
      ];
    }),
  );
}

const answered = (table: StatisticsTable) =>
  new Map(
    table.rows.map((r) => [
      r.key,
      {
        lists: r.lists,
        parcels: r.parcels,
        value: Number(r.value).toFixed(2),
        weightGrams: r.weightGrams,
        tax: Number(r.tax).toFixed(2),
        released: r.released,
        rejected: r.rejected,
        inspected: r.inspected,
        releaseP50Seconds: r.releaseP50Seconds,
        releaseP90Seconds: r.releaseP90Seconds,
      },
    ]),
  );
const withoutTimes = (m: ReturnType<typeof expectedRows>) =>
  new Map([...m].map(([k, { times: _times, ...v }]) => [k, v]));

async function table(path: string): Promise<StatisticsTable> {
  const res = await t.api<StatisticsTable>('GET', `/api/customs/statistics/table?${path}`, 'officer');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const drained = async () => {
  await t.server.app.get(StatisticsRollupJob).run();
  const [{ n }] = await query<{ n: number }>(t.databaseUrl, 'select count(*)::int as n from statistics_change');
  return n === 0;
};

beforeAll(async () => {
  t = await startTestServer(
    'statistics',
    { CUSTOMS_POLL_MS: '0', AGEING_SWEEP_MS: '0', STATISTICS_ROLLUP_MS: '200', STATISTICS_ROLLUP_BATCH: '25' },
    {},
    { checkAnswers: true },
  );
  // The credit module's table (its migration 0965 on its own branch): exactly its DDL, if not there yet.
  await query(
    t.databaseUrl,
    `create table if not exists enterprise_credit (enterprise_code text primary key, name text, grade text not null
       check (grade in ('advanced_certified','certified','regular','dishonest','seriously_dishonest')),
       graded_at timestamptz, graded_by text)`,
  );
  const seed = seedRows();
  await query(
    t.databaseUrl,
    `set app.scope = 'centre';
     insert into enterprise (code, name, roles) values ('EBC-A', 'A', '{ebc}'), ('EBC-B', 'B', '{ebc}'),
       ('EBC-C', 'C', '{ebc}'), ('EBC-D', 'D', '{ebc}'), ('AG1', 'Agent', '{agent}');
     insert into warehouse (code, name, kind, customs_code, loct_no, ems_no, time_zone) values
       ('BC01', 'Bonded centre', 'bonded-centre', '5165', '5165W01', 'T51650000001', 'Asia/Shanghai'),
       ('CW01', 'Consolidation', 'consolidation', null, null, null, 'Asia/Shanghai');
     insert into enterprise_credit (enterprise_code, name, grade) values ('EBC-A', 'A', 'advanced_certified'),
       ('EBC-B', 'B', 'dishonest'), ('EBC-C', 'C', 'certified') on conflict do nothing;
     insert into trade_order (direction, ebp_code, order_no, ebc_code, doc) values ${seed.orders.join(',')};
     insert into inventory_list (id, cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
       logistics_code, logistics_no, agent_code, head, lines, state, declared_at, hold_reason, held_by, held_at, gate_passed_at)
       values ${seed.lists.join(',')};
     insert into customs_message (guid, message_type, subject_kind, subject_id, file_name, xml) values ${seed.messages.join(',')};
     insert into customs_receipt (message_type, guid, return_status, return_time, fields, file_name, changed_status)
       values ${seed.receipts.join(',')};`,
  );
  officerToken = await t.signIn('officer', ['customs']);
  await t.signIn('staff', ['staff']);
  await waitFor('the rollups to take every change', drained);
});

afterAll(async () => {
  await t?.close();
});

const RANGE = 'from=2026-10-15&to=2026-12-31';

describe('statistics from the declaration data', () => {
  it('answers every group’s lists, parcels, value, weight, tax and rates as recomputed from the raw rows', async () => {
    const facts = await factsFromRawRows();
    expect(facts.length).toBeGreaterThan(60);
    const groups: StatisticsGroup[] = [
      'day',
      'month',
      'tradeMode',
      'direction',
      'warehouse',
      'ebp',
      'ebc',
      'logistics',
      'country',
      'chapter',
      'goods',
    ];
    for (const group of groups) {
      const body = await table(`${RANGE}&groupBy=${group}`);
      expect(answered(body), group).toEqual(withoutTimes(expectedRows(facts, group)));
    }
    const totals = (await table(`${RANGE}&groupBy=direction`)).totals;
    expect(totals.lists).toBe(facts.length);
    expect(totals.released).toBe(facts.filter((f) => f.released).length);
    expect(totals.releaseRate).toBe(Number((totals.released / facts.length).toFixed(4)));
    expect(totals.rejectionRate).toBe(Number((facts.filter((f) => f.rejected).length / facts.length).toFixed(4)));
    expect(totals.inspectionRate).toBe(Number((facts.filter((f) => f.inspected).length / facts.length).toFixed(4)));
  });

  it('reads a range across month edges and the filters exactly (monthly and daily rows together)', async () => {
    const facts = await factsFromRawRows();
    const cases: Array<[string, (f: Fact) => boolean]> = [
      ['from=2026-10-25&to=2026-12-04', (f) => f.day >= '2026-10-25' && f.day <= '2026-12-04'],
      [
        'from=2026-11-03&to=2026-11-20&tradeMode=1210',
        (f) => f.day >= '2026-11-03' && f.day <= '2026-11-20' && f.tradeMode === '1210',
      ],
      [
        'from=2026-10-01&to=2026-11-30&direction=export&warehouseCode=BC01',
        (f) => f.day <= '2026-11-30' && f.direction === 'export' && f.warehouse === 'BC01',
      ],
    ];
    for (const [filter, keep] of cases)
      for (const group of ['ebc', 'goods', 'month'] as const) {
        const kept = facts.filter(keep);
        expect(kept.length).toBeGreaterThan(0);
        expect(answered(await table(`${filter}&groupBy=${group}`)), `${filter} ${group}`).toEqual(
          withoutTimes(expectedRows(kept, group)),
        );
      }
  });

  it('gives p50 and p90 of declaration→release within the bucket precision of the exact nearest-rank values', async () => {
    const facts = await factsFromRawRows();
    const body = await table(`${RANGE}&groupBy=tradeMode`);
    const times = facts
      .filter((f) => f.releaseSeconds !== null)
      .map((f) => f.releaseSeconds as number)
      .sort((a, b) => a - b);
    expect(times.length).toBeGreaterThan(10);
    const exact = (p: number) => times[Math.ceil((p / 100) * times.length) - 1];
    expect(Math.abs((body.totals.releaseP50Seconds as number) / exact(50) - 1)).toBeLessThan(0.0906);
    expect(Math.abs((body.totals.releaseP90Seconds as number) / exact(90) - 1)).toBeLessThan(0.0906);
  });

  it('shows the inspection rate by credit grade (no credit row: regular)', async () => {
    const facts = await factsFromRawRows();
    const res = await t.api('GET', `/api/customs/statistics/credit-grades?${RANGE}`, 'officer');
    expect(res.status).toBe(200);
    const gradeOf: Record<string, string> = {
      'EBC-A': 'advanced_certified',
      'EBC-B': 'dishonest',
      'EBC-C': 'certified',
    };
    for (const row of res.body.rows) {
      const mine = facts.filter((f) => (gradeOf[f.ebc] ?? 'regular') === row.grade);
      expect(row.lists, row.grade).toBe(mine.length);
      expect(row.inspected, row.grade).toBe(mine.filter((f) => f.inspected).length);
      expect(row.enterprises).toBe(new Set(mine.map((f) => f.ebc)).size);
    }
    expect(res.body.rows.map((r: { grade: string }) => r.grade)).toEqual([
      'advanced_certified',
      'certified',
      'regular',
      'dishonest',
      'seriously_dishonest',
    ]);
    const byEbc = await table(`${RANGE}&groupBy=ebc`);
    expect(byEbc.rows.find((r) => r.key === 'EBC-D')?.label).toBe('regular');
    expect(byEbc.rows.find((r) => r.key === 'EBC-B')?.label).toBe('dishonest');
  });

  it('counts the open holds by age, customs and weight-check apart', async () => {
    const raw = await query<{ weight: boolean; hours: number }>(
      t.databaseUrl,
      `select held_by = 'weight-check' as weight, extract(epoch from now() - held_at) / 3600 as hours from inventory_list
       where hold_reason is not null and gate_passed_at is null`,
    );
    const res = await t.api('GET', '/api/customs/statistics/holds', 'officer');
    expect(res.status).toBe(200);
    const band = (h: number) =>
      h < 1 ? '<1h' : h < 24 ? '1–24h' : h < 72 ? '1–3d' : h < 168 ? '3–7d' : h < 720 ? '7–30d' : '30d+';
    for (const row of res.body.rows) {
      expect(row.customs, row.band).toBe(raw.filter((r) => !r.weight && band(Number(r.hours)) === row.band).length);
      expect(row.weightCheck, row.band).toBe(raw.filter((r) => r.weight && band(Number(r.hours)) === row.band).length);
    }
    expect(res.body.total).toBe(raw.length);
    expect(raw.length).toBeGreaterThan(5);
  });

  it('follows a new receipt and a cancelled list into the figures', async () => {
    const before = (await table(`${RANGE}&groupBy=tradeMode`)).totals;
    // list 7 (9810, waiting at 120) is released: the receipt and the list's status, as the receipts service writes them
    await query(
      t.databaseUrl,
      `set app.scope = 'centre';
       insert into customs_receipt (message_type, guid, return_status, return_time, fields, file_name, changed_status)
         values ('CEB622', 'G7-1', 800, '${cst(BASE + 7 * 19 * HOUR + 7 * 60_000 + 90_000)}', '{}', 'new', true);
       update inventory_list set customs_status = 800 where id = 7;`,
    );
    const after = await waitFor('the release to show', async () => {
      const totals = (await table(`${RANGE}&groupBy=tradeMode`)).totals;
      return totals.released === before.released + 1 ? totals : null;
    });
    expect(after.lists).toBe(before.lists);
    // list 8 is cancelled: it leaves the statistics
    await query(t.databaseUrl, `set app.scope = 'centre'; update inventory_list set state = 'cancelled' where id = 8`);
    await waitFor(
      'the cancelled list to leave',
      async () => (await table(`${RANGE}&groupBy=tradeMode`)).totals.lists === before.lists - 1,
    );
    const facts = await factsFromRawRows();
    for (const group of ['day', 'ebc', 'goods'] as const)
      expect(answered(await table(`${RANGE}&groupBy=${group}`))).toEqual(withoutTimes(expectedRows(facts, group)));
  });

  it('rebuilds to the very rollups the job kept by adding each change', async () => {
    const cells = () =>
      query(
        t.databaseUrl,
        `select dim, grain, period::text, warehouse_code, trade_mode, direction, key, lists::int, parcels::int,
           value::text, weight_grams::int, tax::text, qty::text, released::int, rejected::int, inspected::int
         from statistics_rollup where lists <> 0 or value <> 0 or released <> 0
         order by dim, grain, period, warehouse_code, trade_mode, direction, key`,
      );
    const times = () =>
      query(
        t.databaseUrl,
        `select dim, grain, period::text, warehouse_code, trade_mode, direction, key, bucket, lists::int
         from statistics_release_time where lists <> 0
         order by dim, grain, period, warehouse_code, trade_mode, direction, key, bucket`,
      );
    await waitFor('the rollups to be current', drained);
    const [kept, keptTimes] = [await cells(), await times()];
    expect(kept.length).toBeGreaterThan(100);
    await t.server.app.get(StatisticsRollupJob).rebuild();
    expect(await cells()).toEqual(kept);
    expect(await times()).toEqual(keptTimes);
  });

  it('exports a table to CSV and XLSX with the rows the table shows', async () => {
    const body = await table(`${RANGE}&groupBy=ebc`);
    const get = (format: string) =>
      fetch(`${t.server.url}/api/customs/statistics/export?${RANGE}&groupBy=ebc&format=${format}`, {
        headers: { authorization: `Bearer ${officerToken}` },
      });
    const csv = await get('csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = (await csv.text()).replace(/^\ufeff/, '');
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header.split(',').slice(0, 4)).toEqual(['ebc', 'label', 'lists', 'parcels']);
    expect(lines.map((l) => l.split(',').slice(0, 5))).toEqual(
      body.rows.map((r) => [r.key, r.label ?? '', String(r.lists), String(r.parcels), r.value]),
    );
    const xlsx = await get('xlsx');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0];
    const sheetRows: unknown[][] = [];
    sheet.eachRow((row) => sheetRows.push((row.values as unknown[]).slice(1, 4)));
    expect(sheetRows[0]).toEqual(['ebc', 'label', 'lists']);
    expect(sheetRows.slice(1)).toEqual(body.rows.map((r) => [r.key, r.label, r.lists]));
  });

  it('refuses bad ranges and other roles with a clear answer', async () => {
    const swapped = await t.api('GET', '/api/customs/statistics/table?from=2026-12-01&to=2026-11-01', 'officer');
    expect(swapped.status).toBe(400);
    expect(swapped.body.message).toContain('swap');
    const notDay = await t.api('GET', '/api/customs/statistics/table?from=2026-02-30&to=2026-03-01', 'officer');
    expect(notDay.status).toBe(400);
    const long = await t.api(
      'GET',
      '/api/customs/statistics/table?from=2024-01-01&to=2026-01-01&groupBy=day',
      'officer',
    );
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('group by month');
    const unknown = await t.api('GET', `/api/customs/statistics/table?${RANGE}&groupBy=buyer`, 'officer');
    expect(unknown.status).toBe(400);
    const staff = await t.api('GET', `/api/customs/statistics/table?${RANGE}`, 'staff');
    expect(staff.status).toBe(403);
  });

  it('serves the dashboard with the same totals as the tables', async () => {
    const res = await t.api('GET', `/api/customs/statistics/dashboard?${RANGE}`, 'officer');
    expect(res.status).toBe(200);
    const byMode = await table(`${RANGE}&groupBy=tradeMode`);
    expect(res.body.totals).toEqual(byMode.totals);
    expect(res.body.trendBy).toBe('month');
    expect(res.body.byTradeMode).toEqual(byMode.rows);
    expect(res.body.topGoods.length).toBe(5);
    expect(res.body.rollupLagSeconds).toBeNull();
  });
});
