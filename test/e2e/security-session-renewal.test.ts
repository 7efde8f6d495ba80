import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEvents } from '../../server/src/platform/events/domain-events.js';
import { launchChromium, signIn, waitForScanRow } from '../support/browser.js';
import { query } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * A floor screen keeps working for a shift although its access token lives minutes: the page
 * renews the token before it runs out and hands it to its live socket, which is never dropped.
 * Here tokens live 4 s and the screen stays live over more than three lifetimes. Disabling the
 * user takes the screen back to sign-in at once.
 */
let t: TestServer;
let browser: Browser;
let page: Page;
const stationId = `ST-${randomUUID().slice(0, 6)}`;

function recordScan(code: string): void {
  const now = new Date().toISOString();
  t.server.app.get(DomainEvents).emit('scan.recorded', {
    eventId: randomUUID(),
    agentId: 'agent-x',
    deviceId: 'SCN-X',
    stationId,
    seq: 1,
    code,
    symbology: null,
    occurredAt: now,
    recordedAt: now,
  });
}

beforeAll(async () => {
  t = await startTestServer(
    'renewal',
    { UI_DIST_DIR: resolve(import.meta.dirname, '../../scanner-ui/dist'), JWT_TTL_SECONDS: '4' },
    { admin: ['admin'] },
  );
  await t.signIn('worker', ['staff'], 'Worker');
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a floor screen across token lifetimes', () => {
  it('stays live and keeps receiving scans while its token is renewed several times', async () => {
    await signIn(page, t.server.url, t.username('worker'), 'pw');
    // the live screen watches every station from the start
    await page.locator('[data-testid="connection-state"][data-state="live"][data-watching="*"]').waitFor();
    // Every change of the connection badge, from now on.
    await page.evaluate(() => {
      const badge = document.querySelector('[data-testid="connection-state"]') as HTMLElement;
      const seen: string[] = [];
      (window as unknown as { badgeStates: string[] }).badgeStates = seen;
      new MutationObserver(() => seen.push(badge.dataset.state ?? '')).observe(badge, { attributes: true });
    });
    recordScan('BEFORE-RENEWAL');
    await waitForScanRow(page, 'BEFORE-RENEWAL');
    await page.waitForTimeout(13_000);
    recordScan('AFTER-RENEWALS');
    await waitForScanRow(page, 'AFTER-RENEWALS', 5000);

    const states = await page.evaluate(() => (window as unknown as { badgeStates: string[] }).badgeStates);
    expect(states.filter((s) => s !== 'live')).toEqual([]);
    expect(await page.getByTestId('login-submit').count()).toBe(0);
    // one session, renewed (not a new sign-in each time)
    const sessions = await query<{ refreshed_at: Date; created_at: Date }>(
      t.databaseUrl,
      'select s.created_at, s.refreshed_at from auth_session s join app_user u on u.id = s.user_id where u.username = $1 and s.revoked_at is null',
      [t.username('worker')],
    );
    const browserSessions = sessions.filter((s) => s.refreshed_at.getTime() - s.created_at.getTime() > 8000);
    expect(browserSessions).toHaveLength(1);
    // and the page's own API calls still pass with the renewed token
    expect(
      await page.evaluate(
        async () =>
          (
            await fetch('/api/auth/me', {
              headers: { authorization: `Bearer ${sessionStorage.getItem('wms.token')}` },
            })
          ).status,
      ),
    ).toBe(200);
  });

  it('goes back to sign-in when an administrator disables the user', async () => {
    await t.signIn('admin', ['admin']); // the first token ran out long ago
    const res = await t.api('POST', `/api/users/${encodeURIComponent(t.username('worker'))}/disable`, 'admin');
    expect(res.status).toBe(200);
    await page.getByTestId('login-submit').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('login-error').textContent()).toMatch(/expired|sign in again/i);
  });
});
