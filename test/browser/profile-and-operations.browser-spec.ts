import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type AdminApi, bearerApi, createUser, logInApi } from './support/api';
import { launchBrowser, logInThroughUi, newContext, screenshot, trackErrors } from './support/browser';
import { ADMIN_PASSWORD, type ConsoleServer, startConsoleServer } from './support/console-server';

describe('console UI: own profile, tokens, roles, deliveries and audit', () => {
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

  it('edits the own display name and bio', async () => {
    await page.goto('/console/profile');
    await page.getByLabel('Display name').fill('The Admin');
    await page.getByLabel('Bio (optional)').fill('Keeps the lights on');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'The Admin', level: 1 }).waitFor();
    const { data } = await api.users.getCurrentUserDetail();
    expect(data.user.spec).toMatchObject({ displayName: 'The Admin', bio: 'Keeps the lights on' });
  });

  it('changes the own email with the code read from the dev mailbox', async () => {
    await page.goto('/console/profile');
    await page.getByLabel('Email address').fill('boss@example.com');
    await page.getByRole('button', { name: 'Send code' }).click();
    // The resend countdown replaces the button's name.
    await page.getByRole('button', { name: /Resend in \d+ s/ }).waitFor();

    const mail = await server.waitForMail((m) => m.to.includes('boss@example.com'));
    const code = mail.text.match(/\b(\d{6})\b/)?.[1];
    expect(code).toBeDefined();
    await page.getByLabel('Verification code').fill(code!);
    await page.getByLabel('Current password').fill(ADMIN_PASSWORD);
    await screenshot(page, 'profile');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('boss@example.com', { exact: true }).waitFor();

    const { data } = await api.users.getCurrentUserDetail();
    expect(data.user.spec).toMatchObject({ email: 'boss@example.com', emailVerified: true });
  });

  it('shows a wrong code as an error in words', async () => {
    await createUser(api, 'grace', 'grace-password-1');
    const other = await newContext(browser, server.baseUrl);
    const own = await other.newPage();
    await logInThroughUi(own, 'grace', 'grace-password-1');
    await own.waitForURL(/\/console\/profile/);
    // No user-management permission: no Users link in the navigation.
    await expect(own.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
    await own.getByLabel('Email address').fill('grace.new@example.com');
    await own.getByRole('button', { name: 'Send code' }).click();
    await own.getByLabel('Verification code').fill('000000');
    await own.getByLabel('Current password').fill('grace-password-1');
    await own.getByRole('button', { name: 'Verify' }).click();
    await expect(own.getByRole('alert').textContent()).resolves.toMatch(/\w+/);
    expect((await api.users.getUserDetail({ name: 'grace' })).data.user.spec.email).toBe('grace@example.com');
    await other.close();
  });

  it('creates a personal access token, shows it once, and the API accepts it; revoke stops it', async () => {
    await page.goto('/console/profile');
    await page.getByRole('button', { name: 'New token' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('ci script');
    await dialog.getByLabel('Description (optional)').fill('nightly export');
    await dialog.getByLabel('Super Administrator').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const tokenField = dialog.getByLabel('Token');
    await tokenField.waitFor();
    const token = await tokenField.inputValue();
    expect(token).toMatch(/^pat_/);
    await screenshot(page, 'token-created');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const viaToken = bearerApi(server.baseUrl, token);
    const { data } = await viaToken.users.getCurrentUserDetail();
    expect(data.user.metadata.name).toBe('admin');

    const tokenRow = page.locator('li[data-token="ci script"]');
    await tokenRow.getByText('Never').first().waitFor();
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    // exact: the action buttons' text run together ("RevokeDelete") contains "revoked" too.
    await tokenRow.getByText('Revoked', { exact: true }).waitFor();
    await expect(viaToken.users.getUserDetail({ name: 'admin' })).rejects.toMatchObject({ response: { status: 401 } });

    await tokenRow.getByRole('button', { name: 'Restore' }).click();
    await tokenRow.getByText('Active', { exact: true }).waitFor();
    await expect(viaToken.users.getCurrentUserDetail()).resolves.toBeDefined();

    await tokenRow.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await tokenRow.waitFor({ state: 'detached' });
    expect((await api.tokens.obtainPats()).data).toEqual([]);
  });

  it('creates a role from permission templates and deletes it', async () => {
    await page.goto('/console/roles');
    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Display name').fill('Helpdesk');
    await dialog.getByLabel(/^User Manage/).check();
    // Its dependencies are ticked and locked.
    await expect(dialog.getByLabel(/^User View/).isChecked()).resolves.toBe(true);
    await expect(dialog.getByLabel(/^User View/).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'role-create');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Helpdesk', { exact: true }).waitFor();

    const { data } = await api.roles.listRole({ labelSelector: ['!halo.run/role-template', '!halo.run/hidden'] });
    const created = data.items.find((role) => role.metadata.annotations?.['rbac.authorization.halo.run/display-name'] === 'Helpdesk');
    expect(created).toBeDefined();
    expect(JSON.parse(created!.metadata.annotations!['rbac.authorization.halo.run/dependencies']!)).toEqual(
      expect.arrayContaining(['role-template-manage-users', 'role-template-view-users']),
    );
    await screenshot(page, 'roles');

    await page.getByRole('button', { name: 'Delete Helpdesk' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Helpdesk', { exact: true }).waitFor({ state: 'detached' });
    await expect(api.roles.getRole({ name: created!.metadata.name })).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('shows the deliveries and the audit log, filterable', async () => {
    await api.http.post('/apis/api.console.halo.run/v1alpha1/users/grace/recovery-email', {});
    await server.waitForMail((m) => m.to.includes('grace@example.com') && /recovery/i.test(m.text));

    await page.goto('/console/deliveries');
    await page.getByRole('cell', { name: /grace@example\.com/ }).first().waitFor();
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('Nothing here yet').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('cell', { name: /grace@example\.com/ }).first().waitFor();
    await page.getByLabel('Recipient').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Nothing here yet').waitFor();
    await page.getByLabel('Recipient').fill('grace@example.com');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: /grace@example\.com/ }).first().waitFor();
    await screenshot(page, 'deliveries');

    await page.goto('/console/audit');
    await page.getByRole('cell', { name: 'admin' }).first().waitFor();
    await page.getByLabel('Actor').fill('grace');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'admin', exact: true }).first().waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'grace', exact: true }).first().waitFor();
    await page.getByLabel('Actor').fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'admin', exact: true }).first().waitFor();
    await screenshot(page, 'audit');
  });

  it('hides operator pages from a user without super-role', async () => {
    const other = await newContext(browser, server.baseUrl);
    const own = await other.newPage();
    await logInThroughUi(own, 'grace', 'grace-password-1', '/console/login?redirect=/deliveries');
    await own.getByText('You are not allowed to see this page.').waitFor();
    await expect(own.getByRole('link', { name: 'Deliveries' }).count()).resolves.toBe(0);
    await other.close();
  });
});
