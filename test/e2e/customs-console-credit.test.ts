import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { signInConsole } from '../support/console.js';
import { query } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The customs console's credit area in real Chromium (issue 13): the officer opens the inspection
 * rates page and reads, for each credit grade, the actual rate (counted from the receipts) beside
 * the configured one, and each enterprise's; in English and in Chinese.
 */
let app: TestServer;
let browser: Browser;

// per grade: its enterprise, how many lists customs answered and how many of them got a 500
const GRADES = [
  { grade: 'advanced_certified', code: 'UI-ADV', lists: 40, inspected: 0, configured: '0.50 %', zh: '高级认证企业' },
  { grade: 'certified', code: 'UI-CERT', lists: 40, inspected: 1, configured: '1.50 %', zh: '认证企业' },
  { grade: 'regular', code: 'UI-REG', lists: 40, inspected: 2, configured: '3.00 %', zh: '常规管理企业' },
  { grade: 'dishonest', code: 'UI-DIS', lists: 20, inspected: 17, configured: '80.00 %', zh: '失信企业' },
  { grade: 'seriously_dishonest', code: 'UI-SER', lists: 20, inspected: 19, configured: '95.00 %', zh: '严重失信企业' },
];
const pct = (share: number) => `${(share * 100).toFixed(2)} %`;

beforeAll(async () => {
  app = await startTestServer('customscredit', { CUSTOMS_POLL_MS: '0' }, { supervisor: ['supervisor'] });
  await app.signIn('officer', ['customs'], 'Officer Li');
  const db = app.databaseUrl;
  await query(
    db,
    `insert into enterprise (code, name, roles) select c, c || ' Trading', '{ebc}' from unnest($1::text[]) c`,
    [GRADES.map((g) => g.code)],
  );
  await query(db, `insert into warehouse (code, name, kind) values ('UI-W', 'Credit UI', 'consolidation')`);
  for (const g of GRADES) {
    const set = await app.api('PUT', `/api/credit/enterprises/${g.code}`, 'supervisor', { grade: g.grade });
    expect(set.status).toBe(200);
  }
  // lists declared today with their declarations and receipts, as the customs pipeline leaves them
  const lists = GRADES.flatMap((g) =>
    Array.from({ length: g.lists }, (_, i) => ({
      cop_no: `${g.code}-${i}`,
      ebc: g.code,
      guid: randomUUID().toUpperCase(),
      statuses: i < g.inspected ? [120, 500] : [120, 800],
    })),
  );
  await query(
    db,
    `insert into inventory_list (cop_no, direction, trade_mode, warehouse_code, ebp_code, order_no, ebc_code, logistics_code,
       logistics_no, agent_code, head, lines, state, declared_at, declare_count)
     select x.cop_no, 'export', '9610', 'UI-W', 'PLAT', 'O' || x.cop_no, x.ebc, 'LOGI', 'L' || x.cop_no, 'AG', '{}', '[]',
            'declared', now() - interval '1 hour', 1
       from jsonb_to_recordset($1::jsonb) as x(cop_no text, ebc text)`,
    [JSON.stringify(lists)],
  );
  await query(
    db,
    `insert into customs_message (guid, message_type, subject_kind, subject_id, file_name, xml, written_at)
     select x.guid, 'CEB603', 'list', l.id, 'CEB603_' || x.guid || '.xml', '<x/>', now()
       from jsonb_to_recordset($1::jsonb) as x(guid text, cop_no text) join inventory_list l on l.cop_no = x.cop_no`,
    [JSON.stringify(lists)],
  );
  await query(
    db,
    `insert into customs_receipt (message_type, guid, return_status, return_time, fields, file_name, changed_status)
     select 'CEB604', x.guid, x.status, '2026120110000' || x.k || '000', '{}', 'R_' || x.guid || '_' || x.status || '.xml', true
       from jsonb_to_recordset($1::jsonb) as x(guid text, status int, k int)`,
    [JSON.stringify(lists.flatMap((l) => l.statuses.map((status, k) => ({ guid: l.guid, status, k }))))],
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the customs console: credit-graded inspection', () => {
  it('shows each grade’s and enterprise’s actual inspection rate against the configured one', async () => {
    const page: Page = await browser.newPage({ locale: 'en-GB' });
    await signInConsole(page, app, 'officer');
    await page.getByTestId('menu-credit').click();
    await page.getByTestId('credit-grades').waitFor();
    await page.getByTestId('grade-lists-dishonest').getByText('20').waitFor();
    for (const g of GRADES) {
      expect(await page.getByTestId(`grade-actual-${g.grade}`).textContent(), g.grade).toBe(pct(g.inspected / g.lists));
      expect(await page.getByTestId(`grade-configured-${g.grade}`).textContent(), g.grade).toBe(g.configured);
      expect(await page.getByTestId(`grade-inspected-${g.grade}`).textContent()).toBe(String(g.inspected));
      expect(await page.getByTestId(`enterprise-actual-${g.code}`).textContent()).toBe(pct(g.inspected / g.lists));
    }
    // 17 of 20 at 80 %: within 4 sd (0.358); the totals add up
    expect(await page.getByTestId('grade-within-dishonest').textContent()).toBe('Within bound');
    expect(await page.getByTestId('credit-total-inspected').textContent()).toBe('39');
    expect(await page.getByTestId('credit-chart').count()).toBe(1);
    // in Chinese
    await page.getByTestId('lang-zh').click();
    await page.getByText('按信用等级的查验率').waitFor();
    for (const g of GRADES) expect(await page.getByTestId(`grade-name-${g.grade}`).textContent()).toBe(g.zh);
    await page.close();
  });
});
