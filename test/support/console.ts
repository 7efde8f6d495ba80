import type { Page } from 'playwright-core';
import type { TestServer } from './test-server.js';

/**
 * The desktop apps (seller portal at /seller/, customs console at /customs/) in a real browser:
 * they share the desktop kit's sign-in card and shell, so their tests share these steps.
 */

/** An Element Plus input by its test id (the id lands on the <input> itself or on its wrapper). */
export const elInput = (page: Page, testId: string) =>
  page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

/** Opens the app at `path` (e.g. `/customs/`) and signs in as the test server's user `as` (password `pw`). */
export async function signInDesktop(page: Page, app: TestServer, path: string, as: string): Promise<void> {
  await page.goto(`${app.server.url}${path}`);
  await elInput(page, 'login-username').fill(app.username(as));
  await elInput(page, 'login-password').fill('pw');
  await page.getByTestId('login-submit').click();
}

/** Signs in to the customs console as `as` and waits for its shell (the officer's name shows). */
export async function signInConsole(page: Page, app: TestServer, as: string): Promise<void> {
  await signInDesktop(page, app, '/customs/', as);
  await page.getByTestId('officer-name').waitFor();
}
