import { readFile } from 'node:fs/promises';
import type { StatisticsTable } from '@wms/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatisticsRollupJob } from '../../server/src/modules/statistics/statistics-rollup.job.js';
import { launchChromium } from '../support/browser.js';
import { signInConsole } from '../support/console.js';
import { query, waitFor } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The statistics area of the customs console in real Chromium against the real server (issue 13):
 * the dashboard shows the figures of the lists declared in the last 30 days, a trade-mode filter
 * narrows them, and a table exported to CSV holds the rows the server's table has.
 */
let app: TestServer;
let browser: Browser;
let page: Page;
const MODES = ['1210', '9610', '9810'] as const;
const HOUR = 3_600_000;
const N = 36;
const modeOf = (i: number) => MODES[i % 3];

beforeAll(async () => {
  app = await startTestServer('consolestats', { CUSTOMS_POLL_MS: '0', STATISTICS_ROLLUP_MS: '200' });
  await app.signIn('officer', ['customs'], 'Officer Li');
  const now = Date.now();
  const lists: string[] = [];
  const messages: string[] = [];
  const receipts: string[] = [];
  for (let i = 1; i <= N; i++) {
    const mode = modeOf(i);
    const direction = mode === '1210' ? 'import' : 'export';
    const declared = now - (i * 6 + 2) * HOUR;
    const lines = [
      {
        values: {
          gcode: i % 2 ? '3304990010' : '1901101000',
          gname: i % 2 ? 'face cream' : 'infant formula',
          totalPrice: `${10 * i}.50`,
          qty1: '1',
        },
      },
    ];
    lists.push(
      `(${i}, 'COP${i}', '${direction}', '${mode}', 'BC01', 'EBP-1', 'ORD${i}', 'EBC-${i % 4}', 'LOG-1', 'LN${i}', 'AG1',
        '{"country": "116", "packNo": "1", "grossWeight": "1.500"}', '${JSON.stringify(lines)}', 'declared', '${new Date(declared).toISOString()}')`,
    );
    messages.push(`('G${i}', 'CEB621', 'list', ${i}, 'f${i}', '')`);
    const cst = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    receipts.push(`('CEB622', 'G${i}', ${i % 5 === 0 ? 500 : 800}, '${cst(declared + 600_000)}', '{}', 'r${i}', true)`);
  }
  await query(
    app.databaseUrl,
    `set app.scope = 'centre';
     insert into enterprise (code, name, roles) values ('AG1', 'Agent', '{agent}');
     insert into warehouse (code, name, kind, customs_code, loct_no, ems_no, time_zone) values
       ('BC01', 'Bonded centre', 'bonded-centre', '5165', '5165W01', 'T51650000001', 'Asia/Shanghai');
     insert into inventory_list (id, cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code,
       logistics_code, logistics_no, agent_code, head, lines, state, declared_at) values ${lists.join(',')};
     insert into customs_message (guid, message_type, subject_kind, subject_id, file_name, xml) values ${messages.join(',')};
     insert into customs_receipt (message_type, guid, return_status, return_time, fields, file_name, changed_status)
       values ${receipts.join(',')};`,
  );
  await waitFor('the rollups to take the lists', async () => {
    await app.server.app.get(StatisticsRollupJob).run();
    const [{ n }] = await query<{ n: number }>(app.databaseUrl, 'select count(*)::int as n from statistics_change');
    return n === 0;
  });
  browser = await launchChromium();
  page = await browser.newPage({ locale: 'en-GB', acceptDownloads: true });
  await signInConsole(page, app, 'officer');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const card = (id: string) => page.getByTestId(`card-${id}`);
const waitForText = (testId: string, text: string) =>
  page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want, [
    testId,
    text,
  ] as const);

describe('the statistics area of the customs console', () => {
  it('renders the dashboard: totals, rates, the trend chart, grades, holds and top goods', async () => {
    await page.getByTestId('menu-statistics').click();
    await waitForText('card-lists', String(N));
    expect(await card('inspection-rate').textContent()).toBe(`${((Math.floor(N / 5) / N) * 100).toFixed(2)} %`);
    expect(await card('release-rate').textContent()).toBe(`${(((N - Math.floor(N / 5)) / N) * 100).toFixed(2)} %`);
    // a release 10 minutes after the declaration, from the log buckets (within 9%)
    expect(await card('p50').textContent()).toMatch(/^(9\.\d|10\.\d) min$/);
    expect(await page.locator('[data-testid="statistics-trend"] canvas').count()).toBe(1);
    expect(await page.getByTestId('statistics-grades').textContent()).toContain('Regular');
    expect(await page.getByTestId('statistics-top-goods').textContent()).toContain('infant formula');
  });

  it('narrows every figure to one trade mode', async () => {
    await page.getByTestId('statistics-trade-mode').click();
    await page
      .locator('.el-select-dropdown__item:visible')
      .filter({ hasText: /^9610$/ })
      .click();
    const want = Array.from({ length: N }, (_, k) => k + 1).filter((i) => modeOf(i) === '9610').length;
    await waitForText('card-lists', String(want));
    await page.waitForFunction((n) => {
      const cells = [...document.querySelectorAll('[data-testid="statistics-table"] [data-testid="row-lists"]')];
      return cells.length > 0 && cells.reduce((s, c) => s + Number(c.textContent), 0) === n;
    }, want);
  });

  it('exports the table to CSV with the rows the server’s table has', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-table-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^statistics-ebc-.*\.csv$/);
    const text = (await readFile((await download.path()) as string, 'utf8')).replace(/^\ufeff/, '');
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header.split(',').slice(0, 3)).toEqual(['ebc', 'label', 'lists']);
    const to = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    const from = new Date(Date.now() + 8 * HOUR - 29 * 86_400_000).toISOString().slice(0, 10);
    const server = await app.api<StatisticsTable>(
      'GET',
      `/api/customs/statistics/table?from=${from}&to=${to}&tradeMode=9610&groupBy=ebc`,
      'officer',
    );
    expect(server.body.rows.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.split(',').slice(0, 5))).toEqual(
      server.body.rows.map((r) => [r.key, r.label ?? '', String(r.lists), String(r.parcels), r.value]),
    );
    expect(lines.reduce((s, l) => s + Number(l.split(',')[2]), 0)).toBe(server.body.totals.lists);
  });
});
