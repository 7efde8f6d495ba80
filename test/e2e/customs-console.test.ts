import { resolve } from 'node:path';
import type { CustomsChange } from '@wms/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEvents } from '../../server/src/platform/events/domain-events.js';
import { launchChromium } from '../support/browser.js';
import { signInConsole, signInDesktop } from '../support/console.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The customs officer's console in real Chromium against the real server (the built console at
 * /customs/): only a customs login gets in; the live feed shows what the customs room hears; the
 * console speaks Chinese and English. The areas (inventory, parcels, risk, ...) have their own tests.
 */
let app: TestServer;
let browser: Browser;

beforeAll(async () => {
  app = await startTestServer('customsconsole', {
    CUSTOMS_POLL_MS: '0',
    UI_DIST_DIR: resolve(import.meta.dirname, '../../scanner-ui/dist'),
  });
  await app.signIn('officer', ['customs'], 'Officer Wang');
  await app.signIn('staff', ['staff'], 'Floor worker');
  await app.signIn('seller', ['seller'], 'A seller');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the customs console', () => {
  it('tells a staff or seller login that it is for customs officers, and keeps no session', async () => {
    for (const as of ['staff', 'seller']) {
      const page = await browser.newPage({ locale: 'en-GB' });
      await signInDesktop(page, app, '/customs/', as);
      const refusal = page.getByTestId('login-error');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('This console is for customs officers');
      expect(await page.evaluate(() => sessionStorage.getItem('wms.customs.session'))).toBeNull();
      expect(await page.getByTestId('menu').count()).toBe(0);
      await page.close();
    }
  });

  it('signs an officer in, shows the customs room’s news live, and switches to Chinese', async () => {
    const page: Page = await browser.newPage({ locale: 'en-GB' });
    await signInConsole(page, app, 'officer');
    expect(await page.getByTestId('officer-name').textContent()).toContain('Officer Wang');
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor();
    const change: CustomsChange = {
      kind: 'hold',
      ref: 'LP-CONSOLE-0001',
      summary: 'Hold placed on LP-CONSOLE-0001: weight check',
      at: new Date().toISOString(),
    };
    app.server.app.get(DomainEvents).emit('customs.changed', change);
    const feed = page.getByTestId('live-feed');
    await feed.getByText('LP-CONSOLE-0001', { exact: true }).waitFor();
    expect(await feed.textContent()).toContain('Hold placed on LP-CONSOLE-0001');
    await page.getByTestId('lang-zh').click();
    await page.getByText('监管动态').first().waitFor();
    expect(await feed.textContent()).toContain('扣留');
    // remembered over a reload
    await page.reload();
    await page.getByTestId('officer-name').waitFor();
    await page.getByText('监管动态').first().waitFor();
    await page.close();
  });

  it('points a customs login on the floor app to the console instead of the floor jobs', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${app.server.url}/`);
    await page.getByTestId('login-username').fill(app.username('officer'));
    await page.getByTestId('login-password').fill('pw');
    await page.getByTestId('login-submit').click();
    const link = page.getByTestId('customs-console-link');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/customs/');
    expect(await page.getByTestId('menu-receive').count()).toBe(0);
    await page.close();
  });
});
