import { readFileSync } from 'node:fs';
import axios from 'axios';
import { CredentialRevocationService } from '../../libs/console-users/src/auth/credential-revocation.service';
import { authentikClients, AuthentikClients, authentikFailure, createPat } from '../support/authentik';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, consoleAxios, failure, haloClients, loginAs, withToken } from '../support/http';
import { hiddenFields, linkIn, open, Page, post, serverUrlOf, submit, titleOf, tokenOf } from '../support/recovery-pages';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };
const PUBLIC_URL = 'http://console.example.test';
const MINUTE = 60_000;

for (const kind of testDatabases()) {
  describe(`authentik recovery and the recovery pages on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    /** super-role admin's PAT and clients. */
    let adminToken: string;
    let admin: AuthentikClients;
    let defaultStage: string;
    const tokens: Record<string, string> = {};
    let serial = 0;

    /** A fresh target user (own address, so limits and mails of one test do not touch another). */
    async function target(extra: { email?: string | null; roles?: string[]; disabled?: boolean } = {}) {
      const name = `target-${++serial}`;
      const password = `old-password-${serial}`;
      const user = await seedUser(server.dataSource, {
        name,
        password,
        roles: extra.roles,
        disabled: extra.disabled,
        email: extra.email === null ? undefined : (extra.email ?? `${name}@example.test`),
      });
      if (extra.email === null) {
        await server.dataSource.query(`UPDATE users SET email = NULL, email_lower = NULL WHERE id = ${user.id}`);
      }
      return { id: user.id, name, password, email: `${name}@example.test` };
    }

    const as = (who: string) => authentikClients(server.baseUrl, tokens[who]);
    /** The n-th mail (1-based) to an address, waiting for it if needed. */
    const nthMailTo = (email: string, n: number) =>
      smtp.waitFor((m) => m.to === email && smtp.mailsTo(email).indexOf(m) === n - 1, 20_000);
    /** The link in the first mail to a fresh address. */
    const mailLink = async (email: string) => linkIn((await nthMailTo(email, 1)).text);
    const local = (link: string) => serverUrlOf(link, PUBLIC_URL, server.baseUrl);

    async function consentAndOpenForm(link: string): Promise<Page> {
      const consent = await open(local(link));
      expect(consent.status).toBe(200);
      const form = await submit(consent);
      expect(form.status).toBe(200);
      return form;
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Console <console@example.test>', PUBLIC_URL },
        overrides: { outbox: OUTBOX },
      });
      const seeds: [string, string[]][] = [
        ['helpdesk', ['role-template-recover-users']],
        ['manager', ['role-template-manage-users']],
        ['linker', ['role-template-issue-recovery-links', 'role-template-view-users']],
        ['nobody', []],
        ['busy-admin', ['super-role']],
      ];
      for (const [name, roles] of seeds) {
        await seedUser(server.dataSource, { name, password: `${name}-password`, roles });
        tokens[name] = await createPat(await loginAs(server.baseUrl, name, `${name}-password`), roles);
      }
      adminToken = await createPat(await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD), ['super-role']);
      tokens.admin = adminToken;
      admin = authentikClients(server.baseUrl, adminToken);
      const stages = await admin.stages.stagesEmailList();
      defaultStage = stages.results.find((s) => s.name === 'default-recovery-email')!.pk;
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    describe('authentication and permissions', () => {
      it('401 {detail} without credentials on every route', async () => {
        const anon = authentikClients(server.baseUrl);
        const { id } = await target();
        const calls: (() => Promise<unknown>)[] = [
          () => anon.core.coreUsersList(),
          () => anon.core.coreUsersRetrieve({ id }),
          () => anon.core.coreUsersRecoveryCreate({ id }),
          () => anon.core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: { emailStage: defaultStage } }),
          () => anon.stages.stagesEmailList(),
          () => anon.stages.stagesEmailRetrieve({ stageUuid: defaultStage }),
          () => anon.stages.stagesEmailCreate({ emailStageRequest: { name: 'x' } }),
          () => anon.stages.stagesEmailPartialUpdate({ stageUuid: defaultStage, patchedEmailStageRequest: { subject: 'x' } }),
        ];
        for (const call of calls) {
          const res = await authentikFailure(call());
          expect(res.status).toBe(401);
          expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
        }
        const halo = await failure(anonymous(server.baseUrl).http.post(`/apis/api.console.halo.run/v1alpha1/users/${'admin'}/recovery-email`, {}));
        expect(halo.status).toBe(401);
        expect(String(halo.headers['content-type'])).toMatch(/application\/problem\+json/);
      });

      it('403 {detail} without the permission on every route', async () => {
        const { id, name } = await target();
        const nobody = as('nobody');
        const calls: (() => Promise<unknown>)[] = [
          () => nobody.core.coreUsersList(),
          () => nobody.core.coreUsersRetrieve({ id }),
          () => nobody.core.coreUsersRecoveryCreate({ id }),
          () => nobody.core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: { emailStage: defaultStage } }),
          () => nobody.stages.stagesEmailList(),
          () => nobody.stages.stagesEmailRetrieve({ stageUuid: defaultStage }),
          () => nobody.stages.stagesEmailCreate({ emailStageRequest: { name: 'x' } }),
          () => nobody.stages.stagesEmailPartialUpdate({ stageUuid: defaultStage, patchedEmailStageRequest: { subject: 'x' } }),
        ];
        for (const call of calls) {
          const res = await authentikFailure(call());
          expect(res.status).toBe(403);
          expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
        }
        const halo = await failure(withToken(server.baseUrl, tokens.nobody!).http.post(`/apis/api.console.halo.run/v1alpha1/users/${name}/recovery-email`, {}));
        expect(halo.status).toBe(403);
      });

      it('recover-users may mail a link but gets 403 on /recovery/ (which hands the link out)', async () => {
        const { id, email } = await target();
        await as('helpdesk').core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        expect(await mailLink(email)).toMatch(/^http:\/\/console\.example\.test\/recovery\?token=/);
        expect((await authentikFailure(as('helpdesk').core.coreUsersRecoveryCreate({ id }))).status).toBe(403);
      });

      it('issue-recovery-links may get a link but gets 403 on /recovery_email/', async () => {
        const { id } = await target();
        const { link } = await as('linker').core.coreUsersRecoveryCreate({ id });
        expect(link).toMatch(/^http:\/\/console\.example\.test\/recovery\?token=[A-Za-z0-9_-]{43}$/);
        const res = await authentikFailure(as('linker').core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: { emailStage: defaultStage } }));
        expect(res.status).toBe(403);
      });

      it('nobody may target a user holding roles they lack; a super-role target needs super-role', async () => {
        const superTarget = await target({ roles: ['super-role'] });
        const managerTarget = await target({ roles: ['role-template-manage-users'] });
        const plain = await target();
        const mail = (who: string, id: number) => as(who).core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: { emailStage: defaultStage } });

        for (const [who, id] of [
          ['manager', superTarget.id],
          ['helpdesk', managerTarget.id],
          ['helpdesk', superTarget.id],
        ] as const) {
          const res = await authentikFailure(mail(who, id));
          expect(res.status).toBe(403);
          expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
        }
        expect((await authentikFailure(as('linker').core.coreUsersRecoveryCreate({ id: superTarget.id }))).status).toBe(403);
        await mail('manager', managerTarget.id);
        await mail('helpdesk', plain.id);
        await mail('admin', superTarget.id);
        await mailLink(superTarget.email);
        const denied: { actor: string; outcome: string }[] = await server.dataSource.query(
          `SELECT actor, outcome FROM audit_events WHERE action = 'recovery.email' AND target = '${superTarget.name}' ORDER BY id`,
        );
        expect(denied.map((r) => `${r.actor}:${r.outcome}`)).toEqual(['manager:denied', 'helpdesk:denied', 'admin:success']);
      });
    });

    describe('users', () => {
      it('lists users in authentik pagination, filters by username and email, retrieves by pk', async () => {
        const one = await target();
        const list = await admin.core.coreUsersList({ username: one.name });
        expect(list.pagination.count).toBe(1);
        expect({ ...list.pagination }).toEqual({ next: 0, previous: 0, count: 1, current: 1, totalPages: 1, startIndex: 1, endIndex: 1 });
        const user = list.results[0]!;
        expect(user.pk).toBe(one.id);
        expect(user.username).toBe(one.name);
        expect(user.email).toBe(one.email);
        expect(user.isActive).toBe(true);
        expect(user.isSuperuser).toBe(false);
        expect(user.dateJoined instanceof Date && !Number.isNaN(user.dateJoined.getTime())).toBeTruthy();

        const byEmail = await admin.core.coreUsersList({ email: one.email.toUpperCase() });
        expect(byEmail.results.map((u) => u.pk)).toEqual([one.id]);

        const page = await admin.core.coreUsersList({ pageSize: 2, page: 2, ordering: 'username' });
        expect(page.pagination.current).toBe(2);
        expect(page.pagination.previous).toBe(1);
        expect(page.pagination.startIndex).toBe(3);
        expect(page.results.length).toBe(2);
        expect(page.pagination.count >= 7).toBeTruthy();
        expect(page.results.some((u) => u.username === 'anonymousUser' || u.username === 'ghost')).toBe(false);

        const adminUser = (await admin.core.coreUsersList({ username: 'admin' })).results[0]!;
        expect(adminUser.isSuperuser).toBe(true);
        expect(adminUser.roles).toEqual(['super-role']);

        const viaSession = await (await loginAs(server.baseUrl, 'manager', 'manager-password')).http.get(`/api/v3/core/users/${one.id}/`);
        expect(viaSession.data.username).toBe(one.name); // the session cookie authenticates too

        const got = await as('manager').core.coreUsersRetrieve({ id: one.id });
        expect(got.username).toBe(one.name);
        const missing = await authentikFailure(admin.core.coreUsersRetrieve({ id: 999_999 }));
        expect(missing.status).toBe(404);
        expect(typeof missing.body.detail).toBe('string');
        expect((await authentikFailure(admin.core.coreUsersList({ page: 999 }))).status).toBe(404);
      });
    });

    describe('the mailed link, end to end', () => {
      it('mail → consent → new password: logs in, old sessions and PATs get 401, email verified, notice mailed, audited', async () => {
        server.clock.advance(MINUTE + 1_000); // fresh per-IP windows for the page posts
        const user = await target();
        const session = await loginAs(server.baseUrl, user.name, user.password);
        const pat = await createPat(session, []);
        // Listing one's PATs needs an authenticated caller (GET /users/- would answer anonymousUser).
        await session.uc.security.personalAccessToken.obtainPats();
        await withToken(server.baseUrl, pat).uc.security.personalAccessToken.obtainPats();

        await admin.core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        const mail = await nthMailTo(user.email, 1);
        expect(mail.subject).toBe('Reset your password');
        expect(mail.from).toBe('console@example.test');
        const link = linkIn(mail.text);
        expect(link.startsWith(`${PUBLIC_URL}/recovery?token=`)).toBeTruthy();
        expect(mail.html.includes(tokenOf(link))).toBeTruthy(); // the HTML part carries the link too
        expect(mail.text).toMatch(/expires in 60 minutes/);

        const consent = await open(local(link));
        expect(consent.status).toBe(200);
        expect(titleOf(consent)).toBe('Reset your password');
        expect(consent.html.includes(user.name)).toBeTruthy();
        expect(consent.headers.get('cache-control')).toBe('no-store');
        expect(consent.headers.get('referrer-policy')).toBe('no-referrer');
        expect(consent.headers.get('x-frame-options')).toBe('DENY');
        expect(consent.headers.get('content-type') ?? '').toMatch(/^text\/html/);
        const csp = consent.headers.get('content-security-policy') ?? '';
        expect(csp).toMatch(/default-src 'none'/);
        expect(csp).not.toMatch(/script-src/);
        expect(consent.html).not.toMatch(/<script/i);
        // A scanner that only GETs (or HEADs) burns nothing.
        expect((await fetch(local(link), { method: 'HEAD' })).status).toBe(200);
        expect((await open(local(link))).status).toBe(200);

        const form = await submit(consent);
        expect(form.status).toBe(200);
        expect(titleOf(form)).toBe('Choose a new password');
        expect(hiddenFields(form).token).not.toBe(tokenOf(link)); // the form carries its own token
        expect((await open(local(link))).status).toBe(410); // the consent click used the mailed link

        const mismatch = await submit(form, { password: 'brand-new-password', password_confirm: 'brand-new-passw0rd' });
        expect(mismatch.status).toBe(400);
        expect(mismatch.html).toMatch(/do not match/);
        const short = await submit(mismatch, { password: 'short', password_confirm: 'short' });
        expect(short.status).toBe(400);
        expect(short.html).toMatch(/8 to 128 characters/);
        const done = await submit(short, { password: 'brand-new-password 🔑', password_confirm: 'brand-new-password 🔑' });
        expect(done.status).toBe(200);
        expect(titleOf(done)).toBe('Password changed');
        expect(done.headers.get('set-cookie')).toBe(null); // the page does not log the user in
        expect(done.html).toMatch(/<a href="http:\/\/console\.example\.test\/console\/">/); // "Go to the console" leads to /console/

        expect((await failure(session.uc.security.personalAccessToken.obtainPats())).status).toBe(401); // the old session ended
        expect((await failure(withToken(server.baseUrl, pat).uc.security.personalAccessToken.obtainPats())).status).toBe(401); // the PAT was revoked
        const oldLogin = await failure(axios.post(`${server.baseUrl}/login`, { username: user.name, password: user.password }));
        expect(oldLogin.status).toBe(401);
        const fresh = await loginAs(server.baseUrl, user.name, 'brand-new-password 🔑');
        const me = await fresh.console.user.getCurrentUserDetail();
        expect(me.data.user.metadata.name).toBe(user.name);
        expect(me.data.user.spec.emailVerified).toBe(true); // the link proved the mailbox

        const notice = await nthMailTo(user.email, 2);
        expect(notice.subject).toBe('Your password was changed');
        expect(notice.text).not.toMatch(/brand-new-password/);

        expect((await submit(form, { password: 'another-password', password_confirm: 'another-password' })).status).toBe(410); // the form is single use
        const events: { actor: string; action: string; outcome: string; details: string }[] = await server.dataSource.query(
          `SELECT actor, action, outcome, details FROM audit_events WHERE target = '${user.name}' AND action LIKE 'recovery.%' ORDER BY id`,
        );
        expect(events.map((e) => `${e.action}:${e.actor}:${e.outcome}`)).toEqual(['recovery.email:admin:success', 'recovery.consent:' + user.name + ':success', 'recovery.complete:' + user.name + ':success', 'recovery.complete:null:failure']);
        expect(events[2]!.details).toMatch(/"admin":"admin"/);
        const audit = JSON.stringify(await server.dataSource.query('SELECT * FROM audit_events'));
        expect(audit.includes(tokenOf(link))).toBe(false);
      });

      it('serves zh-CN pages for ?lang= and Accept-Language, and zh-CN mails for a Chinese-speaking user', async () => {
        const user = await target();
        await server.dataSource.query(`UPDATE users SET language = 'zh-CN' WHERE id = ${user.id}`);
        await admin.core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        const mail = await nthMailTo(user.email, 1);
        expect(mail.subject).toBe('重置您的密码');
        const link = linkIn(mail.text);
        expect(titleOf(await open(local(link), { 'Accept-Language': 'zh-CN,zh;q=0.9' }))).toBe('重置密码');
        const viaQuery = await open(`${local(link)}&lang=zh-CN`);
        expect(titleOf(viaQuery)).toBe('重置密码');
        expect(viaQuery.headers.get('content-language')).toBe('zh-CN');
        expect(titleOf(await open(local(link), { 'Accept-Language': 'en-GB' }))).toBe('Reset your password');
        const form = await submit(viaQuery);
        expect(titleOf(form)).toBe('设置新密码'); // the language follows the form
      });

      it('the link expires after its duration (clock moved), and so does the form after 15 minutes', async () => {
        const user = await target();
        const { link } = await admin.core.coreUsersRecoveryCreate({ id: user.id, userRecoveryLinkRequest: { tokenDuration: 'minutes=5' } });
        const rows: { created_at: string | number; expires_at: string | number }[] = await server.dataSource.query(
          `SELECT created_at, expires_at FROM verification_codes WHERE user_id = ${user.id} AND purpose = 'recovery'`,
        );
        expect(Number(rows[0]!.expires_at) - Number(rows[0]!.created_at)).toBe(5 * MINUTE);
        server.clock.advance(5 * MINUTE);
        const expired = await open(local(link));
        expect(expired.status).toBe(410);
        expect(titleOf(expired)).toBe('Link expired');
        expect((await post(`${server.baseUrl}/recovery`, { step: 'consent', token: tokenOf(link) })).status).toBe(410);

        const { link: second } = await admin.core.coreUsersRecoveryCreate({ id: user.id });
        const form = await consentAndOpenForm(second);
        server.clock.advance(15 * MINUTE);
        const late = await submit(form, { password: 'late-password', password_confirm: 'late-password' });
        expect(late.status).toBe(410);
        expect(titleOf(late)).toBe('Page expired');
      });

      it('two concurrent consents and two concurrent final submits: exactly one wins each time', async () => {
        server.clock.advance(MINUTE + 1_000);
        const user = await target();
        const { link } = await admin.core.coreUsersRecoveryCreate({ id: user.id });
        const consent = await open(local(link));
        const consents = await Promise.all([submit(consent), submit(consent), submit(consent)]);
        expect(consents.map((p) => p.status).sort()).toEqual([200, 410, 410]);
        const form = consents.find((p) => p.status === 200)!;

        const passwords = ['first-racer-password', 'second-racer-password'];
        const results = await Promise.all(passwords.map((p) => submit(form, { password: p, password_confirm: p })));
        expect(results.map((p) => p.status).sort()).toEqual([200, 410]);
        const winner = passwords[results.findIndex((p) => p.status === 200)]!;
        const loser = passwords.find((p) => p !== winner)!;
        await loginAs(server.baseUrl, user.name, winner).then((c) => c.console.user.getCurrentUserDetail());
        expect((await failure(axios.post(`${server.baseUrl}/login`, { username: user.name, password: loser }))).status).toBe(401);
        const after = await admin.core.coreUsersRetrieve({ id: user.id });
        const detail = await withToken(server.baseUrl, adminToken).console.user.getUserDetail({ name: after.username });
        expect(detail.data.user.spec.emailVerified).toBe(false); // a link handed to an admin proves nothing about the mailbox
      });

      it('a new link revokes the older one; unknown tokens and cross-site posts get clear pages', async () => {
        const user = await target();
        const { link: first } = await admin.core.coreUsersRecoveryCreate({ id: user.id });
        await admin.core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        const mailed = await mailLink(user.email);
        const revoked = await open(local(first));
        expect(revoked.status).toBe(410);
        expect(titleOf(revoked)).toBe('Link no longer valid');
        expect((await open(local(mailed))).status).toBe(200);

        const elsewhere = await open(`${server.baseUrl}/recovery/elsewhere`);
        expect(elsewhere.status).toBe(404);
        for (const page of [revoked, elsewhere]) {
          expect(page.headers.get('cache-control')).toBe('no-store');
          expect(page.headers.get('referrer-policy')).toBe('no-referrer');
          expect(page.headers.get('content-security-policy') ?? '').toMatch(/default-src 'none'/);
          expect(page.headers.get('content-type') ?? '').toMatch(/^text\/html/);
        }
        const unknown = await open(`${server.baseUrl}/recovery?token=${'A'.repeat(43)}`);
        expect(unknown.status).toBe(400);
        expect(titleOf(unknown)).toBe('Invalid link');
        expect((await open(`${server.baseUrl}/recovery`)).status).toBe(400);

        const consent = await open(local(mailed));
        const crossSite = await submit(consent, {}, { 'Sec-Fetch-Site': 'cross-site' });
        expect(crossSite.status).toBe(403);
        expect(crossSite.headers.get('referrer-policy')).toBe('no-referrer');
        const foreign = await submit(consent, {}, { Origin: 'https://evil.test' });
        expect(foreign.status).toBe(403);
        expect((await open(local(mailed))).status).toBe(200); // refused posts used nothing
        const own = await submit(consent, {}, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' });
        expect(own.status).toBe(200);
      });

      it('links die when the user is disabled, changes email, or a revocation hook runs', async () => {
        const changer = await target();
        const { link } = await admin.core.coreUsersRecoveryCreate({ id: changer.id });
        const halo = await loginAs(server.baseUrl, changer.name, changer.password);
        await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: `new-${changer.email}` } });
        const code = codeIn(await nthMailTo(`new-${changer.email}`, 1));
        await halo.console.user.verifyEmail({ verifyCodeRequest: { code, password: changer.password } });
        expect((await open(local(link))).status).toBe(410); // email change revoked the link

        const disabled = await target();
        const { link: second } = await admin.core.coreUsersRecoveryCreate({ id: disabled.id });
        await server.dataSource.query(`UPDATE users SET disabled = ${kind === 'postgres' ? 'true' : '1'} WHERE id = ${disabled.id}`);
        expect((await open(local(second))).status).toBe(410); // a disabled user cannot use a link

        const renamed = await target();
        const { link: fourth } = await admin.core.coreUsersRecoveryCreate({ id: renamed.id });
        await server.dataSource.query(`UPDATE users SET email = 'elsewhere@example.test', email_lower = 'elsewhere@example.test' WHERE id = ${renamed.id}`);
        expect((await open(local(fourth))).status).toBe(410); // a link mailed to a former address is dead even if nobody revoked it

        const hooked = await target();
        const { link: third } = await admin.core.coreUsersRecoveryCreate({ id: hooked.id });
        await server.app.get(CredentialRevocationService).revokeEverything(hooked.id);
        expect(titleOf(await open(local(third)))).toBe('Link no longer valid');
      });
    });

    describe('links only from PUBLIC_URL, and the token nowhere else', () => {
      it('Host: evil.test and X-Forwarded-Host: evil.test still give PUBLIC_URL links', async () => {
        const user = await target();
        const evil = { Host: 'evil.test', 'X-Forwarded-Host': 'evil.test', 'X-Forwarded-Proto': 'https', Forwarded: 'host=evil.test;proto=https' };
        const http = axios.create({ baseURL: server.baseUrl, headers: { Authorization: `Bearer ${adminToken}`, ...evil } });
        const mailed = await http.post(`/api/v3/core/users/${user.id}/recovery_email/`, { email_stage: defaultStage });
        expect(mailed.status).toBe(204);
        const link = await mailLink(user.email);
        expect(link.startsWith(`${PUBLIC_URL}/recovery?token=`)).toBeTruthy();
        expect(smtp.mailsTo(user.email).at(-1)!.html).not.toMatch(/evil\.test/);
        const handed = await http.post(`/api/v3/core/users/${user.id}/recovery/`, {});
        expect(String(handed.data.link).startsWith(`${PUBLIC_URL}/recovery?token=`)).toBeTruthy();
        const consent = await open(local(handed.data.link), { 'X-Forwarded-Host': 'evil.test' });
        expect(consent.html).not.toMatch(/evil\.test/);
      });

      it('the token is in no other API answer, no log line, no audit record and not stored in plain text', async () => {
        const user = await target();
        const { link } = await admin.core.coreUsersRecoveryCreate({ id: user.id });
        const token = tokenOf(link);
        await open(local(link));
        const form = await consentAndOpenForm(link);
        const formToken = hiddenFields(form).token!;
        const answers = [
          JSON.stringify(await admin.core.coreUsersRetrieve({ id: user.id })),
          JSON.stringify(await admin.core.coreUsersList({ username: user.name })),
          JSON.stringify((await withToken(server.baseUrl, adminToken).console.user.getUserDetail({ name: user.name })).data),
        ];
        for (const answer of answers) {
          expect(answer.includes(token)).toBe(false);
        }
        for (const table of ['verification_codes', 'audit_events', 'outbox_messages', 'users', 'rate_limit_buckets']) {
          const dump = JSON.stringify(await server.dataSource.query(`SELECT * FROM ${table}`));
          expect(dump.includes(token)).toBe(false);
          expect(dump.includes(formToken)).toBe(false);
        }
        const log = readFileSync(server.logFile, 'utf8');
        expect(log.split('\n').some((line) => line.includes('"msg":"request completed"') && line.includes('/recovery?token=%5BRedacted%5D'))).toBeTruthy(); // the page requests were logged, with the token redacted
        expect(log.includes(token)).toBe(false); // a link token reached the log
        expect(log.includes(formToken)).toBe(false); // a form token reached the log
      });
    });

    describe('validation errors in authentik shapes', () => {
      it('400 non_field_errors: no email, disabled user, unknown stage, bad or out-of-range duration; field error for a missing stage', async () => {
        const noMail = await target({ email: null });
        const disabled = await target({ disabled: true });
        const plain = await target();
        const mail = (id: number, request: { emailStage: string; tokenDuration?: string }) =>
          authentikFailure(admin.core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: request }));

        expect((await mail(noMail.id, { emailStage: defaultStage })).body).toEqual({ non_field_errors: 'User does not have an email address set.' });
        const off = await mail(disabled.id, { emailStage: defaultStage });
        expect(off.status).toBe(400);
        expect(typeof off.body.non_field_errors).toBe('string');
        expect((await authentikFailure(admin.core.coreUsersRecoveryCreate({ id: disabled.id }))).status).toBe(400);
        for (const stage of ['5b7c0c1e-8d7e-4a53-9c2e-2f3d0b6b9d11', 'not-a-uuid']) {
          expect((await mail(plain.id, { emailStage: stage })).body).toEqual({ non_field_errors: 'Email stage not found.' });
        }
        for (const tokenDuration of ['hour=1', 'days=2', 'minutes=4']) {
          const res = await mail(plain.id, { emailStage: defaultStage, tokenDuration });
          expect(res.status).toBe(400);
          expect(typeof res.body.non_field_errors).toBe('string');
        }
        expect((await authentikFailure(admin.core.coreUsersRecoveryCreate({ id: plain.id, userRecoveryLinkRequest: { tokenDuration: 'weeks=1' } }))).status).toBe(400);
        const unknownUser = await mail(987_654, { emailStage: defaultStage });
        expect(unknownUser.status).toBe(404);

        const raw = await failure(axios.post(`${server.baseUrl}/api/v3/core/users/${plain.id}/recovery_email/`, {}, { headers: { Authorization: `Bearer ${adminToken}` } }));
        expect(raw.status).toBe(400);
        expect(raw.data).toEqual({ email_stage: ['This field is required.'] });
        expect(smtp.mailsTo(plain.email).length).toBe(0); // no failed request mailed anything
      });

      it('unreadable bodies and unknown paths under /api/v3/ answer in authentik shapes, with or without the trailing slash', async () => {
        const user = await target();
        const headers = { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' };
        const broken = await fetch(`${server.baseUrl}/api/v3/core/users/${user.id}/recovery/`, { method: 'POST', headers, body: '{"token_duration":' });
        expect(broken.status).toBe(400);
        const brokenBody = (await broken.json()) as Record<string, unknown>;
        expect(typeof brokenBody.detail).toBe('string');
        expect(brokenBody.type).toBe(undefined); // not a Halo problem
        const unknown = await fetch(`${server.baseUrl}/api/v3/core/no-such-thing/`, { headers });
        expect(unknown.status).toBe(404);
        expect(await unknown.json()).toEqual({ detail: 'Not found.' });
        for (const path of [`/api/v3/core/users/${user.id}/`, `/api/v3/core/users/${user.id}`]) {
          const res = await fetch(`${server.baseUrl}${path}`, { headers });
          expect(res.status).toBe(200);
        }
      });

      it('accepts the older ?email_stage= query form and a body-less /recovery/', async () => {
        const user = await target();
        const http = axios.create({ baseURL: server.baseUrl, headers: { Authorization: `Bearer ${adminToken}` } });
        const res = await http.post(`/api/v3/core/users/${user.id}/recovery_email/?email_stage=${defaultStage}`);
        expect(res.status).toBe(204);
        await mailLink(user.email);
        const bare = await fetch(`${server.baseUrl}/api/v3/core/users/${user.id}/recovery/`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        });
        expect(bare.status).toBe(200);
        expect(((await bare.json()) as { link: string }).link).toMatch(/^http:\/\/console\.example\.test\/recovery\?token=/);
      });
    });

    describe('limits', () => {
      it('per user: one mail per 60 s and 10 per day (429 {detail} with Retry-After); the clock decides', async () => {
        server.clock.advance(24 * 60 * MINUTE);
        const user = await target();
        const send = () => as('manager').core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        await send();
        const limited = await authentikFailure(send());
        expect(limited.status).toBe(429);
        expect(String(limited.body.detail)).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(retryAfter >= 1 && retryAfter <= 60).toBeTruthy();
        server.clock.advance(59_000);
        expect((await authentikFailure(send())).status).toBe(429);
        server.clock.advance(1_000);
        await send();
        for (let i = 3; i <= 10; i++) {
          server.clock.advance(MINUTE);
          await send();
        }
        server.clock.advance(MINUTE);
        expect((await authentikFailure(send())).status).toBe(429); // the eleventh mail of the day
        server.clock.advance(24 * 60 * MINUTE);
        await send();
        await nthMailTo(user.email, 11);
        expect(smtp.mailsTo(user.email).length).toBe(11);
      });

      it('per admin: 60 links or mails per hour', async () => {
        const user = await target();
        const busy = as('busy-admin');
        for (let i = 0; i < 60; i++) {
          await busy.core.coreUsersRecoveryCreate({ id: user.id });
        }
        const limited = await authentikFailure(busy.core.coreUsersRecoveryCreate({ id: user.id }));
        expect(limited.status).toBe(429);
        await admin.core.coreUsersRecoveryCreate({ id: user.id }); // another admin is not affected
        server.clock.advance(60 * MINUTE);
        await busy.core.coreUsersRecoveryCreate({ id: user.id });
      });
    });

    describe('email stages', () => {
      it('a default stage exists; super-role creates and changes stages, templates and values are validated', async () => {
        const listed = await as('helpdesk').stages.stagesEmailList();
        const stage = listed.results.find((s) => s.pk === defaultStage)!;
        expect(stage.template).toBe('email/password_reset.html');
        expect(stage.tokenExpiry).toBe('minutes=60');
        expect(stage.useGlobalSettings).toBe(true);

        const created = await admin.stages.stagesEmailCreate({
          emailStageRequest: {
            name: `support-${kind}`,
            subject: 'Help from ACME support',
            fromAddress: 'ACME Support <support@example.test>',
            tokenExpiry: 'hours=2',
            template: 'email/password_reset.html',
            useGlobalSettings: true,
            password: 'never-stored-smtp-password',
          },
        });
        expect(created.pk).toMatch(/^[0-9a-f-]{36}$/);
        expect(created.subject).toBe('Help from ACME support');
        expect(JSON.stringify(await server.dataSource.query('SELECT * FROM email_stages')).includes('never-stored')).toBe(false);
        expect((await admin.stages.stagesEmailRetrieve({ stageUuid: created.pk })).name).toBe(`support-${kind}`);

        const bad = async (request: Record<string, unknown>) =>
          authentikFailure(admin.stages.stagesEmailPartialUpdate({ stageUuid: created.pk, patchedEmailStageRequest: request }));
        const template = await bad({ template: 'email/account_confirmation.html' });
        expect(template.status).toBe(400);
        expect(Array.isArray(template.body.template)).toBeTruthy();
        expect(Array.isArray((await bad({ template: 'email-verify' })).body.template)).toBeTruthy(); // a template without {{link}} is refused
        expect(Array.isArray((await bad({ tokenExpiry: 'days=2' })).body.token_expiry)).toBeTruthy();
        expect(Array.isArray((await bad({ fromAddress: 'a@b.test\r\nBcc: x@y.test' })).body.from_address)).toBeTruthy();
        expect(Array.isArray((await bad({ useGlobalSettings: false })).body.use_global_settings)).toBeTruthy();
        expect((await bad({ name: 'default-recovery-email' })).body).toEqual({ name: ['stage with this name already exists.'] });
        const missingName = await authentikFailure(admin.stages.stagesEmailCreate({ emailStageRequest: {} as never }));
        expect(missingName.body).toEqual({ name: ['This field is required.'] });
        expect((await authentikFailure(admin.stages.stagesEmailRetrieve({ stageUuid: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404);
        expect((await authentikFailure(as('manager').stages.stagesEmailCreate({ emailStageRequest: { name: 'nope' } }))).status).toBe(403);

        const patched = await admin.stages.stagesEmailPartialUpdate({ stageUuid: created.pk, patchedEmailStageRequest: { subject: 'ACME: reset your password' } });
        expect(patched.subject).toBe('ACME: reset your password');
        expect(patched.tokenExpiry).toBe('hours=2');

        const user = await target();
        await as('helpdesk').core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: created.pk } });
        const mail = await nthMailTo(user.email, 1);
        expect(mail.subject).toBe('ACME: reset your password');
        expect(mail.from).toBe('support@example.test');
        expect(mail.text).toMatch(/expires in 120 minutes/);
      });
    });

    describe('Halo console: POST …/users/{name}/recovery-email', () => {
      it('mails a link through the default stage (204), answers Halo problems, and is in the OpenAPI document', async () => {
        const user = await target();
        const halo = haloClients(consoleAxios(server.baseUrl, { Authorization: `Bearer ${tokens.helpdesk}` }));
        const path = (name: string) => `/apis/api.console.halo.run/v1alpha1/users/${name}/recovery-email`;
        const res = await halo.http.post(path(user.name), { tokenDuration: 'hours=3' });
        expect(res.status).toBe(204);
        expect((await mailLink(user.email)).startsWith(`${PUBLIC_URL}/recovery?token=`)).toBeTruthy();
        const rows: { created_at: string | number; expires_at: string | number }[] = await server.dataSource.query(
          `SELECT created_at, expires_at FROM verification_codes WHERE user_id = ${user.id} AND purpose = 'recovery'`,
        );
        expect(Number(rows[0]!.expires_at) - Number(rows[0]!.created_at)).toBe(3 * 60 * MINUTE);

        const noMail = await target({ email: null });
        const problem = await failure(halo.http.post(path(noMail.name), {}));
        expect(problem.status).toBe(400);
        expect(String(problem.headers['content-type'])).toMatch(/application\/problem\+json/);
        expect(problem.data.detail).toBe('User does not have an email address set.');
        expect((await failure(halo.http.post(path('no-such-user'), {}))).status).toBe(404);
        const limited = await failure(halo.http.post(path(user.name), {}));
        expect(limited.status).toBe(429);
        expect(limited.data.type).toBe('https://halo.run/probs/request-not-permitted');

        const docs = await axios.get(`${server.baseUrl}/v3/api-docs`);
        expect(docs.data.paths['/apis/api.console.halo.run/v1alpha1/users/{name}/recovery-email'].post.operationId).toBe('SendRecoveryEmail');
      });
    });
  });
}
