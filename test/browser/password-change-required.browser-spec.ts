import type { Browser, Page } from 'playwright-core';
import { type AdminApi, logInApi } from './support/api';
import { launchBrowser, logInThroughUi, newContext, screenshot, trackErrors } from './support/browser';
import { ADMIN_PASSWORD, type ConsoleServer, startConsoleServer } from './support/console-server';

/**
 * A password an administrator set "on condition that it is changed" (ZITADEL's changeRequired):
 * the console behaves like Keycloak's "Update password" required action.
 */
describe('console UI: a required password change', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let api: AdminApi;

  /** An administrator (super-role) created through ZITADEL AddHumanUser; returns its ZITADEL id. */
  async function addAdmin(name: string, password: string, changeRequired: boolean): Promise<string> {
    const { data } = await api.http.post<{ userId: string }>('/v2/users/human', {
      username: name,
      profile: { givenName: name, familyName: 'Tester' },
      email: { email: `${name}@example.com`, isVerified: true },
      password: { password, changeRequired },
    });
    await api.users.grantPermission({ name, grantRequest: { roles: ['super-role'] } });
    return data.userId;
  }

  /** ZITADEL SetPassword by the administrator, with changeRequired (ends the user's sessions). */
  async function setTemporaryPassword(userId: string, password: string): Promise<void> {
    const { status } = await api.http.post(`/v2/users/${userId}/password`, { newPassword: { password, changeRequired: true } });
    expect(status).toBe(200);
  }

  async function changePage(page: Page): Promise<void> {
    await page.waitForURL(/\/console\/password-change(\?|$)/);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
  }

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    api = await logInApi(server.baseUrl, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('after login, shows only the change page; a wrong current password is an error in words; after the change the console works', async () => {
    const id = await addAdmin('temp-anna', 'initial-password-1', false);
    await setTemporaryPassword(id, 'temporary-password-1');
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = trackErrors(page);

    await page.goto('/console/login?redirect=/roles');
    await page.getByLabel('Username').fill('temp-anna');
    await page.getByLabel('Password', { exact: true }).fill('temporary-password-1');
    await page.getByLabel('Remember me').check();
    await page.getByRole('button', { name: 'Log in' }).click();
    await changePage(page);
    const temporarySession = (await context.cookies()).find((c) => c.name === 'SESSION')!;
    await expect(page.getByText('You must choose a new password before you continue.').count()).resolves.toBe(1);
    // The console's menu is not there, and the users list is out of reach, by link or by address.
    await expect(page.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
    await page.goto('/console/users');
    await changePage(page);
    await expect(page.getByRole('heading', { name: 'Users' }).count()).resolves.toBe(0);
    await screenshot(page, 'password-change-required');

    // A wrong current password: the server's refusal in words, and the page stays.
    await page.getByLabel('Current password').fill('not-the-password');
    await page.getByLabel('New password', { exact: true }).fill('my-own-password-1');
    await page.getByLabel('Confirm new password').fill('my-own-password-1');
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The current password is wrong.');

    // The password rules of the server, in words.
    await page.getByLabel('Current password').fill('temporary-password-1');
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'The new password was refused' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/between 8 and 128 characters/);

    await page.getByLabel('New password', { exact: true }).fill('my-own-password-1');
    await page.getByLabel('Confirm new password').fill('my-own-password-1');
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    // Logged in again with the new password, on the page last asked for (the users list).
    await page.waitForURL(/\/console\/users$/);
    await page.locator('li[data-user="temp-anna"]').waitFor();
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor({ state: 'attached' });
    await page.getByRole('link', { name: 'Users' }).click();
    await page.locator('li[data-user="temp-anna"]').waitFor();

    // A new session (the change ended the old one), still remembered as the user asked at login.
    const session = (await context.cookies()).find((c) => c.name === 'SESSION')!;
    expect(session.value).not.toBe(temporarySession.value);
    expect(session.expires).toBeGreaterThan(Date.now() / 1000 + 7 * 24 * 3600);
    // The flag is gone on the server, the new password is the one that works.
    const { data } = await api.users.getUserDetail({ name: 'temp-anna' });
    expect(data.user.metadata.annotations?.['console.users/password-change-required']).toBeUndefined();
    await expect(logInApi(server.baseUrl, 'temp-anna', 'temporary-password-1')).rejects.toMatchObject({ response: { status: 401 } });
    // A reload keeps the user in the console (the session is a real one).
    await page.reload();
    await page.locator('li[data-user="temp-anna"]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('goes to the change page when a call answers 403 password-change-required mid-use, in another tab', async () => {
    const id = await addAdmin('temp-ben', 'initial-password-2', false);
    const context = await newContext(browser, server.baseUrl);
    const first = await context.newPage();
    const errors = trackErrors(first);
    await logInThroughUi(first, 'temp-ben', 'initial-password-2');
    await first.waitForURL(/\/console\/users/);
    await first.locator('li[data-user="temp-ben"]').waitFor();

    // An administrator hands out a temporary password; the user logs in with it in a second tab
    // (the same cookie jar), so the first tab's next call carries a session that must change it.
    await setTemporaryPassword(id, 'temporary-password-2');
    const second = await context.newPage();
    await logInThroughUi(second, 'temp-ben', 'temporary-password-2');
    await changePage(second);
    await second.close();

    await first.getByRole('link', { name: 'Roles' }).click();
    await changePage(first);
    expect(new URL(first.url()).searchParams.get('redirect')).toBe('/roles');
    await first.getByLabel('Current password').fill('temporary-password-2');
    await first.getByLabel('New password', { exact: true }).fill('my-own-password-2');
    await first.getByLabel('Confirm new password').fill('my-own-password-2');
    await first.getByRole('button', { name: 'Change password and continue' }).click();
    await first.waitForURL(/\/console\/roles$/);
    await first.getByRole('heading', { name: 'Roles', level: 1 }).waitFor({ state: 'attached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers a way out: logging out from the change page ends the session', async () => {
    // This time the flag comes with the account: AddHumanUser with a password to be changed.
    await addAdmin('temp-cleo', 'temporary-password-3', true);
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await logInThroughUi(page, 'temp-cleo', 'temporary-password-3');
    await changePage(page);
    const cookie = (await context.cookies()).find((c) => c.name === 'SESSION')!;

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/console\/login/);
    const { data } = await api.http.get('/apis/api.console.halo.run/v1alpha1/users/-', {
      headers: { Cookie: `SESSION=${cookie.value}` },
      validateStatus: () => true,
    });
    expect(data.user?.metadata?.name ?? 'anonymousUser').toBe('anonymousUser');
    await context.close();
  });

  it('sends the user to the login page with a clear message when logging in again after the change fails', async () => {
    await addAdmin('temp-finn', 'temporary-password-6', true);
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = trackErrors(page);
    await logInThroughUi(page, 'temp-finn', 'temporary-password-6', '/console/login?redirect=/roles');
    await changePage(page);
    // The change goes through; the login the console then makes for the user cannot reach the server.
    const loginCall = (url: URL): boolean => url.pathname === '/login';
    await page.route(
      loginCall,
      (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()),
    );
    await page.getByLabel('Current password').fill('temporary-password-6');
    await page.getByLabel('New password', { exact: true }).fill('my-own-password-6');
    await page.getByLabel('Confirm new password').fill('my-own-password-6');
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await page.waitForURL(/\/console\/login\?/);
    await page.getByRole('status').filter({ hasText: 'Your password has been changed. Log in with your new password.' }).waitFor();
    await page.unroute(loginCall);

    await page.getByLabel('Username').fill('temp-finn');
    await page.getByLabel('Password', { exact: true }).fill('my-own-password-6');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/console\/roles$/);
    await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor({ state: 'attached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says how long to wait once too many wrong current passwords were tried (429)', async () => {
    const id = await addAdmin('temp-dora', 'initial-password-4', false);
    await setTemporaryPassword(id, 'temporary-password-4');
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    await logInThroughUi(page, 'temp-dora', 'temporary-password-4');
    await changePage(page);
    await page.getByLabel('New password', { exact: true }).fill('my-own-password-4');
    await page.getByLabel('Confirm new password').fill('my-own-password-4');
    const submit = page.getByRole('button', { name: 'Change password and continue' });
    const alert = page.getByRole('alert');
    const guess = async (attempt: number): Promise<number> => {
      await page.getByLabel('Current password').fill(`wrong-guess-${attempt}`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/users/-/password')), submit.click()]);
      return response.status();
    };
    // The session's own budget of wrong guesses (the server's default: 10 per window) runs out.
    let status = 400;
    for (let attempt = 1; status === 400 && attempt <= 20; attempt++) {
      status = await guess(attempt);
      if (status === 400) {
        await alert.filter({ hasText: 'The current password is wrong.' }).waitFor();
      }
    }
    expect(status).toBe(429);
    await alert.filter({ hasText: 'Too many' }).waitFor();
    await expect(alert.textContent()).resolves.toMatch(/Too many wrong passwords\. Try again in \d+ (seconds|minutes)\./);
    await expect(submit.isDisabled()).resolves.toBe(true);
    await context.close();
  });

  it('shows the change page in Simplified Chinese', async () => {
    await addAdmin('temp-eli', 'temporary-password-5', true);
    const context = await newContext(browser, server.baseUrl, 'zh-CN');
    const page = await context.newPage();
    await page.goto('/console/login');
    await page.getByLabel('用户名').fill('temp-eli');
    await page.getByLabel('密码', { exact: true }).fill('temporary-password-5');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '设置新密码', level: 1 }).waitFor();
    await expect(page.getByLabel('当前密码').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: '修改密码并继续' }).count()).resolves.toBe(1);
    await context.close();
  });

});
