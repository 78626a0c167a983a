import type { Browser, Page } from 'playwright-core';
import { type AdminApi, logInApi } from './support/api';
import { launchBrowser, newContext, trackErrors } from './support/browser';
import { ADMIN_PASSWORD, type ConsoleServer, startConsoleServer } from './support/console-server';

/**
 * Swagger UI's "Try it out", as a reader of the API documentation uses it: in Debian's Chromium,
 * against the built server, with the examples of the document sent as they stand.
 */
describe('Swagger UI: Try it out', () => {
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

  /** Opens an operation, switches it to "Try it out", optionally replaces the body, executes; returns status and body. */
  async function tryItOut(page: Page, tag: string, operationId: string, body?: unknown): Promise<{ status: number; text: string }> {
    const block = page.locator(`#operations-${tag}-${operationId}`);
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    if (body !== undefined) {
      await block.locator('textarea.body-param__text').fill(JSON.stringify(body));
    }
    const answered = page.waitForResponse((response) => response.request().method() !== 'GET' && !response.url().includes('/swagger-ui'));
    await block.locator('button.execute').click();
    const response = await answered;
    // What the page shows is what the server said.
    const statusCell = block.locator('.live-responses-table tbody .response-col_status').first();
    await statusCell.waitFor();
    expect((await statusCell.textContent())?.trim()).toMatch(new RegExp(`^${response.status()}\\b`));
    return { status: response.status(), text: await response.text() };
  }

  it('logs in through POST /login, then creates a user and sends an email code with the documented examples, on the session cookie', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = trackErrors(page);
    await page.goto('/swagger-ui');
    await page.locator('#operations-UserV1alpha1Console-CreateUser').waitFor();

    const login = await tryItOut(page, 'Authentication', 'Login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    expect(JSON.parse(login.text).username).toBe('admin');
    expect((await context.cookies()).some((cookie) => cookie.name === 'SESSION')).toBe(true);

    // The example body of CreateUser, untouched.
    const created = await tryItOut(page, 'UserV1alpha1Console', 'CreateUser');
    expect(created.status).toBe(200);
    expect(JSON.parse(created.text).metadata.name).toBe('jane');
    const jane = await api.users.getUserDetail({ name: 'jane' });
    expect(jane.data.user.spec.email).toBe('jane@example.com');

    // The example body of SendEmailVerificationCode, untouched: the code goes to the new address.
    const sent = await tryItOut(page, 'UserV1alpha1Console', 'SendEmailVerificationCode');
    expect(sent.status).toBe(200);
    const mail = await server.waitForMail((m) => m.to.includes('jane.new@example.com'));
    expect(mail.text).toMatch(/\b\d{6}\b/);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('calls CreateUser with a personal access token entered under Authorize, without any cookie', async () => {
    const generated = await api.tokens.generatePat({
      personalAccessToken: {
        apiVersion: 'security.halo.run/v1alpha1',
        kind: 'PersonalAccessToken',
        metadata: { name: '' },
        spec: { name: 'swagger', roles: ['super-role'], scopes: [], tokenId: '', username: '', revoked: false },
      } as never,
    });
    const token = generated.data.metadata.annotations!['security.halo.run/access-token']!;

    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    const errors = trackErrors(page);
    await page.goto('/swagger-ui');
    await page.locator('button.authorize').first().click();
    const patForm = page.locator('.auth-container form').filter({ has: page.locator('#auth-bearer-value') });
    await patForm.locator('#auth-bearer-value').fill(token);
    await patForm.locator('button.authorize').click();
    await page.locator('.modal-ux button.close-modal').click();

    const request = page.waitForRequest((r) => r.url().endsWith('/apis/api.console.halo.run/v1alpha1/users') && r.method() === 'POST');
    const created = await tryItOut(page, 'UserV1alpha1Console', 'CreateUser', { name: 'pat-made', email: 'pat-made@example.com', password: 'pat-made-password' });
    expect((await request).headers()['authorization']).toBe(`Bearer ${token}`);
    expect(created.status).toBe(200);
    expect(JSON.parse(created.text).metadata.name).toBe('pat-made');
    expect(await context.cookies()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
