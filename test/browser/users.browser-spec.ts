import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type AdminApi, createUser, logInApi } from './support/api';
import { launchBrowser, logInThroughUi, newContext, screenshot, trackErrors } from './support/browser';
import { ADMIN_PASSWORD, type ConsoleServer, startConsoleServer } from './support/console-server';

describe('console UI: user management', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let api: AdminApi;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    api = await logInApi(server.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const name of ['alice', 'bob', 'carol']) {
      await createUser(api, name, 'a-long-password-1');
    }
    context = await newContext(browser, server.baseUrl);
    const first = await context.newPage();
    await logInThroughUi(first, 'admin', ADMIN_PASSWORD);
    await first.waitForURL(/\/console\/users/);
    await first.close();
  });

  beforeEach(async () => {
    page = await context.newPage();
    errors = trackErrors(page);
  });

  afterEach(async () => {
    expect(errors).toEqual([]);
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const row = (name: string) => page.locator(`li[data-user="${name}"]`);

  it('lists users with their roles and total, and searches by keyword synced to the URL', async () => {
    await page.goto('/console/users');
    await row('alice').waitFor();
    await expect(row('admin').textContent()).resolves.toContain('Super Administrator');
    // Halo's hidden system users never show.
    await expect(row('anonymousUser').count()).resolves.toBe(0);
    await expect(page.getByText('4 in total').count()).resolves.toBe(1);
    await screenshot(page, 'users');

    await page.getByRole('searchbox', { name: 'Search users' }).fill('bob');
    await page.getByRole('searchbox', { name: 'Search users' }).press('Enter');
    await page.waitForURL(/keyword=bob/);
    await row('alice').waitFor({ state: 'detached' });
    await expect(page.locator('li[data-user]').count()).resolves.toBe(1);

    // A reload keeps the search.
    await page.reload();
    await row('bob').waitFor();
    await expect(page.getByRole('searchbox', { name: 'Search users' }).inputValue()).resolves.toBe('bob');
    await expect(row('alice').count()).resolves.toBe(0);

    await page.getByLabel('Sort').selectOption('oldest');
    await page.waitForURL(/sort=oldest/);
  });

  it('creates a user from the "New" dialog, without roles', async () => {
    await page.goto('/console/users');
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('dave');
    await dialog.getByLabel('Display name').fill('Dave Davis');
    await dialog.getByLabel('Email').fill('dave@example.com');
    await dialog.getByLabel('Password').fill('dave-password-1');
    await dialog.getByLabel('Bio (optional)').fill('Joined today');
    await screenshot(page, 'user-create');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row('dave').waitFor();

    const { data } = await api.users.getUserDetail({ name: 'dave' });
    expect(data.user.spec).toMatchObject({ displayName: 'Dave Davis', email: 'dave@example.com', bio: 'Joined today' });
    expect(data.roles).toEqual([]);
  });

  it('shows a server error in words and keeps the dialog', async () => {
    await page.goto('/console/users');
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('alice');
    await dialog.getByLabel('Display name').fill('Second Alice');
    await dialog.getByLabel('Email').fill('alice2@example.com');
    await dialog.getByLabel('Password').fill('alice-password-2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/\w+/);
    await expect(dialog.getByLabel('Username').inputValue()).resolves.toBe('alice');
  });

  it('opens the detail page from the list, and it survives a reload', async () => {
    await page.goto('/console/users');
    await row('alice').getByRole('link', { name: 'alice' }).click();
    await page.waitForURL(/\/console\/users\/alice$/);
    await page.getByRole('heading', { name: 'alice', level: 1 }).waitFor();
    await expect(page.getByText('alice@example.com').count()).resolves.toBe(1);
    await page.reload();
    await page.getByRole('heading', { name: 'alice', level: 1 }).waitFor();
    await expect(page.getByText('Not verified').count()).resolves.toBe(1);
    await screenshot(page, 'user-detail');
  });

  it('grants roles', async () => {
    await page.goto('/console/users/alice');
    await page.getByRole('button', { name: 'Grant roles' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Super Administrator').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('dd.tags', { hasText: 'Super Administrator' }).waitFor();

    const { data } = await api.users.getUserDetail({ name: 'alice' });
    expect(data.roles.map((role) => role.metadata.name)).toEqual(['super-role']);
  });

  it('sends a recovery email that lands in the dev mailbox', async () => {
    await page.goto('/console/users/bob');
    await page.getByRole('button', { name: 'Send recovery email' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Send recovery email' }).click();
    await confirm.waitFor({ state: 'detached' });

    const mail = await server.waitForMail((m) => m.to.includes('bob@example.com'));
    expect(mail.text).toMatch(/\/recovery\?token=/);
  });

  it('copies a recovery link (super-role holds the issue-recovery-links template) that opens the recovery page', async () => {
    await page.goto('/console/users/carol');
    await page.getByRole('button', { name: 'Copy recovery link' }).click();
    const dialog = page.getByRole('dialog');
    const field = dialog.getByLabel('Recovery link');
    await field.waitFor();
    const link = await field.inputValue();
    expect(link).toMatch(/\/recovery\?token=/);
    const response = await fetch(link);
    expect(response.status).toBe(200);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('changes a password from the row menu', async () => {
    await page.goto('/console/users');
    await row('carol').getByRole('button', { name: 'More actions for carol' }).click();
    await row('carol').getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New password', { exact: true }).fill('carol-new-password');
    await dialog.getByLabel('Confirm new password').fill('carol-new-password');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(logInApi(server.baseUrl, 'carol', 'carol-new-password')).resolves.toBeDefined();
  });

  it('disables a user only after confirmation, then enables them again', async () => {
    await page.goto('/console/users/bob');
    await page.getByRole('button', { name: 'Disable' }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.textContent()).resolves.toContain('Disable bob?');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.users.getUserDetail({ name: 'bob' })).data.user.spec.disabled).toBeFalsy();

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect((await api.users.getUserDetail({ name: 'bob' })).data.user.spec.disabled).toBe(true);
    await expect(logInApi(server.baseUrl, 'bob', 'a-long-password-1')).rejects.toMatchObject({ response: { status: 401 } });

    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable' }).waitFor();
    expect((await api.users.getUserDetail({ name: 'bob' })).data.user.spec.disabled).toBeFalsy();
  });

  it('disables and deletes selected users in a batch', async () => {
    await createUser(api, 'erin', 'a-long-password-1');
    await createUser(api, 'frank', 'a-long-password-1');
    await page.goto('/console/users');
    await page.getByLabel('Select erin').check();
    await page.getByLabel('Select frank').check();
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disable' }).click();
    await row('erin').getByText('Disabled', { exact: true }).waitFor();
    expect((await api.users.getUserDetail({ name: 'frank' })).data.user.spec.disabled).toBe(true);

    await page.getByLabel('Select erin').check();
    await page.getByLabel('Select frank').check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await row('erin').waitFor({ state: 'detached' });
    await expect(api.users.getUserDetail({ name: 'erin' })).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('works on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/console/users');
    await row('alice').waitFor();
    // Runs in the page, where `document` exists (this file is type-checked without the DOM library).
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.waitForURL(/\/console\/roles/);
    await screenshot(page, 'users-phone');
  });
});
