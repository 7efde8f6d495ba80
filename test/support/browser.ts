import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Real Chromium from the distribution's package: browser downloads cannot work here. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it with \`apt-get install chromium\` (or point CHROMIUM_PATH at a Chromium binary)`,
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

export type ConnectionState = 'live' | 'reconnecting' | 'offline';

const connectionStateBadge = (page: Page) => page.getByTestId('connection-state');

/**
 * Opens the UI on a screen (`#/live` by default) and signs in; resolves once that screen shows its
 * connection badge. Fails with the
 * message the login screen showed when the server refuses.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  screen = 'live',
): Promise<void> {
  await page.goto(`${baseUrl}#/${screen}`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  const refusal = page.getByTestId('login-error').filter({ hasText: /\S/ });
  await connectionStateBadge(page).or(refusal).first().waitFor();
  if (await refusal.isVisible()) throw new Error(`sign-in refused: ${await refusal.textContent()}`);
}

/**
 * Picks a station in the picker (`''` or `'*'` for all stations) and waits until the feed is live
 * and the server has confirmed it is sending that station's events.
 */
export async function watchStation(page: Page, stationId: string, timeoutMs = 15_000): Promise<void> {
  const all = stationId === '' || stationId === '*';
  await page.getByTestId('station-picker').selectOption(all ? '' : stationId, { timeout: timeoutMs });
  await page
    .locator(`[data-testid="connection-state"][data-state="live"][data-watching="${all ? '*' : stationId}"]`)
    .waitFor({ timeout: timeoutMs });
}

/** What the connection badge says: live, reconnecting or offline. */
export async function connectionState(page: Page): Promise<ConnectionState> {
  return (await connectionStateBadge(page).getAttribute('data-state')) as ConnectionState;
}

/**
 * How the screen writes a code: separators spelled out, GS as `<GS>`. Mirrors `visibleCode` in
 * scanner-ui/src/dom.ts (kept separate so this file runs without the UI's DOM code).
 */
export function shownCode(code: string): string {
  const names: Record<string, string> = { '\u0004': 'EOT', '\u001c': 'FS', '\u001d': 'GS', '\u001e': 'RS' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we convert
  return code.replace(/[\u0000-\u001f\u007f]/g, (char) => {
    const hex = char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    return `<${names[char] ?? `0x${hex}`}>`;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Waits for a scan row whose code is exactly `code` (raw, GS as \u001d) and returns the row's text
 * as the user sees it, whitespace collapsed: code, station, device, symbology, time.
 */
export async function waitForScanRow(page: Page, code: string, timeoutMs = 15_000): Promise<string> {
  const codeCell = page.getByTestId('scan-code').filter({ hasText: new RegExp(`^${escapeRegExp(shownCode(code))}$`) });
  const row = page.getByTestId('scan-row').filter({ has: codeCell }).first();
  await row.waitFor({ timeout: timeoutMs });
  // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out for the user, fields apart
  return (await row.innerText()).replace(/\s+/g, ' ').trim();
}
