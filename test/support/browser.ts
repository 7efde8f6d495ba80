import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Real Chromium (Debian's package): no browser downloads here. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it with \`apt-get install chromium\` or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('connection-state').waitFor();
}

/** Picks a station in the picker ('' for all stations) and waits until the socket is live. */
export async function watchStation(page: Page, stationId: string): Promise<void> {
  await page.getByTestId('station-picker').selectOption(stationId);
  await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 15_000 });
}

export async function connectionState(page: Page): Promise<string | null> {
  return page.getByTestId('connection-state').getAttribute('data-state');
}

/** Waits for a scan row showing `code` and returns the row's text as the user sees it. */
export async function waitForScanRow(page: Page, code: string, timeoutMs = 15_000): Promise<string> {
  const row = page
    .getByTestId('scan-row')
    .filter({ has: page.getByTestId('scan-code').getByText(code, { exact: true }) });
  await row.first().waitFor({ timeout: timeoutMs });
  return (await row.first().textContent()).replace(/\s+/g, ' ');
}
