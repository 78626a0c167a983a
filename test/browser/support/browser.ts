import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded one. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium-headless-shell',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1366, height: 768 };

/** A browser context with a language; page errors fail the test that caused them. */
export async function newContext(browser: Browser, baseUrl: string, locale = 'en-US'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, locale, viewport: DESKTOP });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Collects uncaught errors of a page; the tests assert it stays empty (no blank pages, no console errors). */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function logInThroughUi(page: Page, username: string, password: string, path = '/console/login'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

// A test run must not dirty the checkout: the pictures go to docs/ui only when asked for
// (`UPDATE_SCREENSHOTS=1 npm run test:browser`); otherwise they are still taken (the page must
// render) into a scratch folder.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '../../../docs/ui') : join(tmpdir(), 'console-users-screenshots');

/** Saves a screenshot of the main pages (docs/ui.md when UPDATE_SCREENSHOTS=1). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // Let transitions and toasts settle so the picture is stable.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}
