import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type AdminApi, createUser, logInApi } from './support/api';
import { launchBrowser, logInThroughUi, newContext, trackErrors } from './support/browser';
import { ADMIN_PASSWORD, type ConsoleServer, startConsoleServer } from './support/console-server';

/** A 1 × 1 PNG: the smallest picture the avatar upload accepts. */
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const DISPLAY_NAME_ANNOTATION = 'rbac.authorization.halo.run/display-name';
const DEPENDENCIES_ANNOTATION = 'rbac.authorization.halo.run/dependencies';

describe('console UI: editing users, roles, the own password and avatar', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let api: AdminApi;
  const open: BrowserContext[] = [];
  let errors: string[];

  /** A fresh browser session of `username`, on a page of its own. */
  async function sessionOf(username: string, password: string): Promise<Page> {
    const context = await newContext(browser, server.baseUrl);
    open.push(context);
    const page = await context.newPage();
    errors = trackErrors(page);
    await logInThroughUi(page, username, password);
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
    return page;
  }

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    api = await logInApi(server.baseUrl, 'admin', ADMIN_PASSWORD);
  });

  afterEach(async () => {
    expect(errors).toEqual([]);
    for (const context of open.splice(0)) {
      await context.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("edits another user's display name, email, phone and bio from the detail page", async () => {
    await createUser(api, 'editee', 'editee-password-1');
    const page = await sessionOf('admin', ADMIN_PASSWORD);
    await page.goto('/console/users/editee');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit editee' });
    await dialog.getByLabel('Display name').fill('Ed Itee');
    await dialog.getByLabel('Email').fill('ed.itee@example.com');
    await dialog.getByLabel('Phone (optional)').fill('+33 6 12 34 56 78');
    await dialog.getByLabel('Bio (optional)').fill('Edited in the browser');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Ed Itee', level: 1 }).waitFor();

    const { data } = await api.users.getUserDetail({ name: 'editee' });
    expect(data.user.spec).toMatchObject({ displayName: 'Ed Itee', email: 'ed.itee@example.com', bio: 'Edited in the browser' });
    expect(data.user.spec.phone).toBeTruthy();
  });

  it('changes the own password: a wrong current password is refused in words, the right one works', async () => {
    await createUser(api, 'pw-owner', 'pw-owner-password-1');
    const page = await sessionOf('pw-owner', 'pw-owner-password-1');
    await page.goto('/console/profile');
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Current password').fill('not-my-password');
    await dialog.getByLabel('New password', { exact: true }).fill('pw-owner-password-2');
    await dialog.getByLabel('Confirm new password').fill('pw-owner-password-2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').getByText('The old password does not match.').waitFor();

    await dialog.getByLabel('Current password').fill('pw-owner-password-1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Password changed').waitFor();
    // The change ended every session, the page's too; the console logged in again with the new
    // password, so the person is still where they were, also after a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Profile' }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/profile');

    // The new password is the one that logs in now; the old one no longer does.
    await expect(logInApi(server.baseUrl, 'pw-owner', 'pw-owner-password-2')).resolves.toBeDefined();
    await expect(logInApi(server.baseUrl, 'pw-owner', 'pw-owner-password-1')).rejects.toMatchObject({ response: { status: 401 } });
  });

  it('uploads an avatar that the page then shows, and removes it', async () => {
    await createUser(api, 'avatar-owner', 'avatar-owner-password-1');
    const page = await sessionOf('avatar-owner', 'avatar-owner-password-1');
    await page.goto('/console/profile');
    await page.locator('#avatar-file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    await page.getByText('Avatar updated').waitFor();

    const me = await logInApi(server.baseUrl, 'avatar-owner', 'avatar-owner-password-1');
    const avatar = (await me.users.getCurrentUserDetail()).data.user.spec.avatar;
    expect(avatar).toBeTruthy();
    // The browser loaded the picture the server stored (the page's CSP allows it).
    const selector = JSON.stringify(`.profile-head img[src="${avatar!}"]`);
    await page.waitForFunction(`(() => { const img = document.querySelector(${selector}); return !!img && img.complete && img.naturalWidth === 1; })()`);

    await page.getByRole('button', { name: 'Remove avatar' }).click();
    await page.getByRole('button', { name: 'Remove avatar' }).waitFor({ state: 'detached' });
    expect((await me.users.getCurrentUserDetail()).data.user.spec.avatar ?? '').toBe('');
  });

  it("edits a role's display name and permissions", async () => {
    await api.roles.createRole({
      role: {
        apiVersion: 'v1alpha1',
        kind: 'Role',
        metadata: { name: 'support-desk', annotations: { [DISPLAY_NAME_ANNOTATION]: 'Support desk', [DEPENDENCIES_ANNOTATION]: '["role-template-view-users"]' } },
        rules: [],
      },
    });
    const page = await sessionOf('admin', ADMIN_PASSWORD);
    await page.goto('/console/roles');
    await page.getByRole('button', { name: 'Edit Support desk' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit role Support desk' });
    await expect(dialog.getByLabel(/^User View/).isChecked()).resolves.toBe(true);
    await dialog.getByLabel('Display name').fill('Support team');
    await dialog.getByLabel(/^User Manage/).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Support team', { exact: true }).waitFor();

    const { data } = await api.roles.getRole({ name: 'support-desk' });
    expect(data.metadata.annotations?.[DISPLAY_NAME_ANNOTATION]).toBe('Support team');
    expect(JSON.parse(data.metadata.annotations![DEPENDENCIES_ANNOTATION]!)).toEqual(
      expect.arrayContaining(['role-template-manage-users', 'role-template-view-users']),
    );
  });
});
