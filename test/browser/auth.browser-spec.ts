import type { Browser } from 'playwright-core';
import { type AdminApi, createUser, logInApi } from './support/api';
import { launchBrowser, logInThroughUi, newContext, screenshot, trackErrors } from './support/browser';
import { ADMIN_PASSWORD, type ConsoleServer, startConsoleServer } from './support/console-server';

describe('console UI: logging in and out, languages, forgotten passwords', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let api: AdminApi;

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    api = await logInApi(server.baseUrl, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends a visit without a session to the login page, shows a wrong password as an alert, and comes back after logging in', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = trackErrors(page);

    await page.goto('/console/roles');
    await page.waitForURL(/\/console\/login\?redirect=/);
    await screenshot(page, 'login');

    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('incorrect');
    // The form is kept: the username is still there.
    await expect(page.getByLabel('Username').inputValue()).resolves.toBe('admin');

    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel('Remember me').check();
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/console\/roles$/);
    await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor({ state: 'attached' });

    // Remember me gives a persistent cookie instead of a browser-session one.
    const session = (await context.cookies()).find((cookie) => cookie.name === 'SESSION');
    expect(session).toBeDefined();
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000 + 7 * 24 * 3600);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('goes back to the login page when the session ends mid-use, and returns to the page after logging in again', async () => {
    await createUser(api, 'midsession', 'a-long-password-1', ['super-role']);
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await logInThroughUi(page, 'midsession', 'a-long-password-1');
    await page.waitForURL(/\/console\/users/);
    await page.locator('li[data-user="midsession"]').waitFor();

    // An admin sets a new password elsewhere: that ends every session of the user.
    await api.users.changeAnyonePassword({ name: 'midsession', changePasswordRequest: { password: 'another-long-password' } });
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.waitForURL(/\/console\/login\?redirect=/);

    await page.getByLabel('Username').fill('midsession');
    await page.getByLabel('Password', { exact: true }).fill('another-long-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/console\/roles$/);
    await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor({ state: 'attached' });
    await context.close();
  });

  it('logs out: the header button ends the session on the server', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await logInThroughUi(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL(/\/console\/users/);
    const cookie = (await context.cookies()).find((c) => c.name === 'SESSION')!;

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/console\/login/);

    const { data } = await api.http.get('/apis/api.console.halo.run/v1alpha1/users/-', {
      headers: { Cookie: `SESSION=${cookie.value}` },
      validateStatus: () => true,
    });
    expect(data.user?.metadata?.name ?? 'anonymousUser').toBe('anonymousUser');
    await page.goto('/console/users');
    await page.waitForURL(/\/console\/login/);
    await context.close();
  });

  it('shows the login page in Simplified Chinese for a zh-CN browser and remembers a switch to English', async () => {
    const context = await newContext(browser, server.baseUrl, 'zh-CN');
    const page = await context.newPage();
    await page.goto('/console/login');
    await page.getByRole('button', { name: '登录' }).waitFor();
    await expect(page.getByLabel('用户名').count()).resolves.toBe(1);
    await expect(page.getByLabel('记住我').count()).resolves.toBe(1);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await screenshot(page, 'login-zh-CN');

    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await context.close();
  });

  it('resets a forgotten password through the mailed link', async () => {
    await createUser(api, 'forgetful', 'first-password-1');
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await page.goto('/console/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(/\/console\/forgot-password/);
    await page.getByLabel('Username').fill('forgetful');
    await page.getByLabel('Email').fill('forgetful@example.com');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').waitFor();

    const mail = await server.waitForMail((m) => m.to.includes('forgetful@example.com'));
    const link = mail.text.match(/https?:\/\/\S+\/console\/password-reset\?\S+/)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).fill('second-password-2');
    await page.getByLabel('Confirm new password').fill('second-password-2');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').waitFor();

    // The new password works, the old one does not; the link is single-use.
    await expect(logInApi(server.baseUrl, 'forgetful', 'second-password-2')).resolves.toBeDefined();
    await expect(logInApi(server.baseUrl, 'forgetful', 'first-password-1')).rejects.toMatchObject({ response: { status: 401 } });
    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).fill('third-password-3');
    await page.getByLabel('Confirm new password').fill('third-password-3');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').waitFor();
    await context.close();
  });
});
