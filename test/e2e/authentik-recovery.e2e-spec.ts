import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
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
      assert.equal(consent.status, 200, titleOf(consent));
      const form = await submit(consent);
      assert.equal(form.status, 200, titleOf(form));
      return form;
    }

    before(async () => {
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

    after(async () => {
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
          assert.equal(res.status, 401);
          assert.deepEqual(res.body, { detail: 'Authentication credentials were not provided.' });
        }
        const halo = await failure(anonymous(server.baseUrl).http.post(`/apis/api.console.halo.run/v1alpha1/users/${'admin'}/recovery-email`, {}));
        assert.equal(halo.status, 401);
        assert.match(String(halo.headers['content-type']), /application\/problem\+json/);
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
          assert.equal(res.status, 403);
          assert.deepEqual(res.body, { detail: 'You do not have permission to perform this action.' });
        }
        const halo = await failure(withToken(server.baseUrl, tokens.nobody!).http.post(`/apis/api.console.halo.run/v1alpha1/users/${name}/recovery-email`, {}));
        assert.equal(halo.status, 403);
      });

      it('recover-users may mail a link but gets 403 on /recovery/ (which hands the link out)', async () => {
        const { id, email } = await target();
        await as('helpdesk').core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        assert.match(await mailLink(email), /^http:\/\/console\.example\.test\/recovery\?token=/);
        assert.equal((await authentikFailure(as('helpdesk').core.coreUsersRecoveryCreate({ id }))).status, 403);
      });

      it('issue-recovery-links may get a link but gets 403 on /recovery_email/', async () => {
        const { id } = await target();
        const { link } = await as('linker').core.coreUsersRecoveryCreate({ id });
        assert.match(link, /^http:\/\/console\.example\.test\/recovery\?token=[A-Za-z0-9_-]{43}$/);
        const res = await authentikFailure(as('linker').core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: { emailStage: defaultStage } }));
        assert.equal(res.status, 403);
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
          assert.equal(res.status, 403, `${who} → ${id}`);
          assert.deepEqual(res.body, { detail: 'You do not have permission to perform this action.' });
        }
        assert.equal((await authentikFailure(as('linker').core.coreUsersRecoveryCreate({ id: superTarget.id }))).status, 403);
        await mail('manager', managerTarget.id);
        await mail('helpdesk', plain.id);
        await mail('admin', superTarget.id);
        await mailLink(superTarget.email);
        const denied: { actor: string; outcome: string }[] = await server.dataSource.query(
          `SELECT actor, outcome FROM audit_events WHERE action = 'recovery.email' AND target = '${superTarget.name}' ORDER BY id`,
        );
        assert.deepEqual(
          denied.map((r) => `${r.actor}:${r.outcome}`),
          ['manager:denied', 'helpdesk:denied', 'admin:success'],
        );
      });
    });

    describe('users', () => {
      it('lists users in authentik pagination, filters by username and email, retrieves by pk', async () => {
        const one = await target();
        const list = await admin.core.coreUsersList({ username: one.name });
        assert.equal(list.pagination.count, 1);
        assert.deepEqual(
          { ...list.pagination },
          { next: 0, previous: 0, count: 1, current: 1, totalPages: 1, startIndex: 1, endIndex: 1 },
        );
        const user = list.results[0]!;
        assert.equal(user.pk, one.id);
        assert.equal(user.username, one.name);
        assert.equal(user.email, one.email);
        assert.equal(user.isActive, true);
        assert.equal(user.isSuperuser, false);
        assert.ok(user.dateJoined instanceof Date && !Number.isNaN(user.dateJoined.getTime()));

        const byEmail = await admin.core.coreUsersList({ email: one.email.toUpperCase() });
        assert.deepEqual(byEmail.results.map((u) => u.pk), [one.id]);

        const page = await admin.core.coreUsersList({ pageSize: 2, page: 2, ordering: 'username' });
        assert.equal(page.pagination.current, 2);
        assert.equal(page.pagination.previous, 1);
        assert.equal(page.pagination.startIndex, 3);
        assert.equal(page.results.length, 2);
        assert.ok(page.pagination.count >= 7);
        assert.equal(page.results.some((u) => u.username === 'anonymousUser' || u.username === 'ghost'), false);

        const adminUser = (await admin.core.coreUsersList({ username: 'admin' })).results[0]!;
        assert.equal(adminUser.isSuperuser, true);
        assert.deepEqual(adminUser.roles, ['super-role']);

        const viaSession = await (await loginAs(server.baseUrl, 'manager', 'manager-password')).http.get(`/api/v3/core/users/${one.id}/`);
        assert.equal(viaSession.data.username, one.name, 'the session cookie authenticates too');

        const got = await as('manager').core.coreUsersRetrieve({ id: one.id });
        assert.equal(got.username, one.name);
        const missing = await authentikFailure(admin.core.coreUsersRetrieve({ id: 999_999 }));
        assert.equal(missing.status, 404);
        assert.equal(typeof missing.body.detail, 'string');
        assert.equal((await authentikFailure(admin.core.coreUsersList({ page: 999 }))).status, 404);
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
        assert.equal(mail.subject, 'Reset your password');
        assert.equal(mail.from, 'console@example.test');
        const link = linkIn(mail.text);
        assert.ok(link.startsWith(`${PUBLIC_URL}/recovery?token=`));
        assert.ok(mail.html.includes(tokenOf(link)), 'the HTML part carries the link too');
        assert.match(mail.text, /expires in 60 minutes/);

        const consent = await open(local(link));
        assert.equal(consent.status, 200);
        assert.equal(titleOf(consent), 'Reset your password');
        assert.ok(consent.html.includes(user.name));
        assert.equal(consent.headers.get('cache-control'), 'no-store');
        assert.equal(consent.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(consent.headers.get('x-frame-options'), 'DENY');
        assert.match(consent.headers.get('content-type') ?? '', /^text\/html/);
        const csp = consent.headers.get('content-security-policy') ?? '';
        assert.match(csp, /default-src 'none'/);
        assert.doesNotMatch(csp, /script-src/);
        assert.doesNotMatch(consent.html, /<script/i);
        // A scanner that only GETs (or HEADs) burns nothing.
        assert.equal((await fetch(local(link), { method: 'HEAD' })).status, 200);
        assert.equal((await open(local(link))).status, 200);

        const form = await submit(consent);
        assert.equal(form.status, 200);
        assert.equal(titleOf(form), 'Choose a new password');
        assert.notEqual(hiddenFields(form).token, tokenOf(link), 'the form carries its own token');
        assert.equal((await open(local(link))).status, 410, 'the consent click used the mailed link');

        const mismatch = await submit(form, { password: 'brand-new-password', password_confirm: 'brand-new-passw0rd' });
        assert.equal(mismatch.status, 400);
        assert.match(mismatch.html, /do not match/);
        const short = await submit(mismatch, { password: 'short', password_confirm: 'short' });
        assert.equal(short.status, 400);
        assert.match(short.html, /8 to 128 characters/);
        const done = await submit(short, { password: 'brand-new-password 🔑', password_confirm: 'brand-new-password 🔑' });
        assert.equal(done.status, 200);
        assert.equal(titleOf(done), 'Password changed');
        assert.equal(done.headers.get('set-cookie'), null, 'the page does not log the user in');
        assert.match(done.html, /<a href="http:\/\/console\.example\.test\/console\/">/, '"Go to the console" leads to /console/');

        assert.equal((await failure(session.uc.security.personalAccessToken.obtainPats())).status, 401, 'the old session ended');
        assert.equal((await failure(withToken(server.baseUrl, pat).uc.security.personalAccessToken.obtainPats())).status, 401, 'the PAT was revoked');
        const oldLogin = await failure(axios.post(`${server.baseUrl}/login`, { username: user.name, password: user.password }));
        assert.equal(oldLogin.status, 401);
        const fresh = await loginAs(server.baseUrl, user.name, 'brand-new-password 🔑');
        const me = await fresh.console.user.getCurrentUserDetail();
        assert.equal(me.data.user.metadata.name, user.name);
        assert.equal(me.data.user.spec.emailVerified, true, 'the link proved the mailbox');

        const notice = await nthMailTo(user.email, 2);
        assert.equal(notice.subject, 'Your password was changed');
        assert.doesNotMatch(notice.text, /brand-new-password/);

        assert.equal((await submit(form, { password: 'another-password', password_confirm: 'another-password' })).status, 410, 'the form is single use');
        const events: { actor: string; action: string; outcome: string; details: string }[] = await server.dataSource.query(
          `SELECT actor, action, outcome, details FROM audit_events WHERE target = '${user.name}' AND action LIKE 'recovery.%' ORDER BY id`,
        );
        assert.deepEqual(
          events.map((e) => `${e.action}:${e.actor}:${e.outcome}`),
          ['recovery.email:admin:success', 'recovery.consent:' + user.name + ':success', 'recovery.complete:' + user.name + ':success', 'recovery.complete:null:failure'],
        );
        assert.match(events[2]!.details, /"admin":"admin"/);
        const audit = JSON.stringify(await server.dataSource.query('SELECT * FROM audit_events'));
        assert.equal(audit.includes(tokenOf(link)), false);
      });

      it('serves zh-CN pages for ?lang= and Accept-Language, and zh-CN mails for a Chinese-speaking user', async () => {
        const user = await target();
        await server.dataSource.query(`UPDATE users SET language = 'zh-CN' WHERE id = ${user.id}`);
        await admin.core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        const mail = await nthMailTo(user.email, 1);
        assert.equal(mail.subject, '重置您的密码');
        const link = linkIn(mail.text);
        assert.equal(titleOf(await open(local(link), { 'Accept-Language': 'zh-CN,zh;q=0.9' })), '重置密码');
        const viaQuery = await open(`${local(link)}&lang=zh-CN`);
        assert.equal(titleOf(viaQuery), '重置密码');
        assert.equal(viaQuery.headers.get('content-language'), 'zh-CN');
        assert.equal(titleOf(await open(local(link), { 'Accept-Language': 'en-GB' })), 'Reset your password');
        const form = await submit(viaQuery);
        assert.equal(titleOf(form), '设置新密码', 'the language follows the form');
      });

      it('the link expires after its duration (clock moved), and so does the form after 15 minutes', async () => {
        const user = await target();
        const { link } = await admin.core.coreUsersRecoveryCreate({ id: user.id, userRecoveryLinkRequest: { tokenDuration: 'minutes=5' } });
        const rows: { created_at: string | number; expires_at: string | number }[] = await server.dataSource.query(
          `SELECT created_at, expires_at FROM verification_codes WHERE user_id = ${user.id} AND purpose = 'recovery'`,
        );
        assert.equal(Number(rows[0]!.expires_at) - Number(rows[0]!.created_at), 5 * MINUTE);
        server.clock.advance(5 * MINUTE);
        const expired = await open(local(link));
        assert.equal(expired.status, 410);
        assert.equal(titleOf(expired), 'Link expired');
        assert.equal((await post(`${server.baseUrl}/recovery`, { step: 'consent', token: tokenOf(link) })).status, 410);

        const { link: second } = await admin.core.coreUsersRecoveryCreate({ id: user.id });
        const form = await consentAndOpenForm(second);
        server.clock.advance(15 * MINUTE);
        const late = await submit(form, { password: 'late-password', password_confirm: 'late-password' });
        assert.equal(late.status, 410);
        assert.equal(titleOf(late), 'Page expired');
      });

      it('two concurrent consents and two concurrent final submits: exactly one wins each time', async () => {
        server.clock.advance(MINUTE + 1_000);
        const user = await target();
        const { link } = await admin.core.coreUsersRecoveryCreate({ id: user.id });
        const consent = await open(local(link));
        const consents = await Promise.all([submit(consent), submit(consent), submit(consent)]);
        assert.deepEqual(consents.map((p) => p.status).sort(), [200, 410, 410]);
        const form = consents.find((p) => p.status === 200)!;

        const passwords = ['first-racer-password', 'second-racer-password'];
        const results = await Promise.all(passwords.map((p) => submit(form, { password: p, password_confirm: p })));
        assert.deepEqual(results.map((p) => p.status).sort(), [200, 410]);
        const winner = passwords[results.findIndex((p) => p.status === 200)]!;
        const loser = passwords.find((p) => p !== winner)!;
        await loginAs(server.baseUrl, user.name, winner).then((c) => c.console.user.getCurrentUserDetail());
        assert.equal((await failure(axios.post(`${server.baseUrl}/login`, { username: user.name, password: loser }))).status, 401);
        const after = await admin.core.coreUsersRetrieve({ id: user.id });
        const detail = await withToken(server.baseUrl, adminToken).console.user.getUserDetail({ name: after.username });
        assert.equal(detail.data.user.spec.emailVerified, false, 'a link handed to an admin proves nothing about the mailbox');
      });

      it('a new link revokes the older one; unknown tokens and cross-site posts get clear pages', async () => {
        const user = await target();
        const { link: first } = await admin.core.coreUsersRecoveryCreate({ id: user.id });
        await admin.core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        const mailed = await mailLink(user.email);
        const revoked = await open(local(first));
        assert.equal(revoked.status, 410);
        assert.equal(titleOf(revoked), 'Link no longer valid');
        assert.equal((await open(local(mailed))).status, 200);

        const elsewhere = await open(`${server.baseUrl}/recovery/elsewhere`);
        assert.equal(elsewhere.status, 404);
        for (const page of [revoked, elsewhere]) {
          assert.equal(page.headers.get('cache-control'), 'no-store');
          assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
          assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
          assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
        }
        const unknown = await open(`${server.baseUrl}/recovery?token=${'A'.repeat(43)}`);
        assert.equal(unknown.status, 400);
        assert.equal(titleOf(unknown), 'Invalid link');
        assert.equal((await open(`${server.baseUrl}/recovery`)).status, 400);

        const consent = await open(local(mailed));
        const crossSite = await submit(consent, {}, { 'Sec-Fetch-Site': 'cross-site' });
        assert.equal(crossSite.status, 403);
        assert.equal(crossSite.headers.get('referrer-policy'), 'no-referrer');
        const foreign = await submit(consent, {}, { Origin: 'https://evil.test' });
        assert.equal(foreign.status, 403);
        assert.equal((await open(local(mailed))).status, 200, 'refused posts used nothing');
        const own = await submit(consent, {}, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' });
        assert.equal(own.status, 200);
      });

      it('links die when the user is disabled, changes email, or a revocation hook runs', async () => {
        const changer = await target();
        const { link } = await admin.core.coreUsersRecoveryCreate({ id: changer.id });
        const halo = await loginAs(server.baseUrl, changer.name, changer.password);
        await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: `new-${changer.email}` } });
        const code = codeIn(await nthMailTo(`new-${changer.email}`, 1));
        await halo.console.user.verifyEmail({ verifyCodeRequest: { code, password: changer.password } });
        assert.equal((await open(local(link))).status, 410, 'email change revoked the link');

        const disabled = await target();
        const { link: second } = await admin.core.coreUsersRecoveryCreate({ id: disabled.id });
        await server.dataSource.query(`UPDATE users SET disabled = ${kind === 'postgres' ? 'true' : '1'} WHERE id = ${disabled.id}`);
        assert.equal((await open(local(second))).status, 410, 'a disabled user cannot use a link');

        const renamed = await target();
        const { link: fourth } = await admin.core.coreUsersRecoveryCreate({ id: renamed.id });
        await server.dataSource.query(`UPDATE users SET email = 'elsewhere@example.test', email_lower = 'elsewhere@example.test' WHERE id = ${renamed.id}`);
        assert.equal((await open(local(fourth))).status, 410, 'a link mailed to a former address is dead even if nobody revoked it');

        const hooked = await target();
        const { link: third } = await admin.core.coreUsersRecoveryCreate({ id: hooked.id });
        await server.app.get(CredentialRevocationService).revokeEverything(hooked.id);
        assert.equal(titleOf(await open(local(third))), 'Link no longer valid');
      });
    });

    describe('links only from PUBLIC_URL, and the token nowhere else', () => {
      it('Host: evil.test and X-Forwarded-Host: evil.test still give PUBLIC_URL links', async () => {
        const user = await target();
        const evil = { Host: 'evil.test', 'X-Forwarded-Host': 'evil.test', 'X-Forwarded-Proto': 'https', Forwarded: 'host=evil.test;proto=https' };
        const http = axios.create({ baseURL: server.baseUrl, headers: { Authorization: `Bearer ${adminToken}`, ...evil } });
        const mailed = await http.post(`/api/v3/core/users/${user.id}/recovery_email/`, { email_stage: defaultStage });
        assert.equal(mailed.status, 204);
        const link = await mailLink(user.email);
        assert.ok(link.startsWith(`${PUBLIC_URL}/recovery?token=`), link);
        assert.doesNotMatch(smtp.mailsTo(user.email).at(-1)!.html, /evil\.test/);
        const handed = await http.post(`/api/v3/core/users/${user.id}/recovery/`, {});
        assert.ok(String(handed.data.link).startsWith(`${PUBLIC_URL}/recovery?token=`));
        const consent = await open(local(handed.data.link), { 'X-Forwarded-Host': 'evil.test' });
        assert.doesNotMatch(consent.html, /evil\.test/);
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
          assert.equal(answer.includes(token), false);
        }
        for (const table of ['verification_codes', 'audit_events', 'outbox_messages', 'users', 'rate_limit_buckets']) {
          const dump = JSON.stringify(await server.dataSource.query(`SELECT * FROM ${table}`));
          assert.equal(dump.includes(token), false, `${table} holds the link token`);
          assert.equal(dump.includes(formToken), false, `${table} holds the form token`);
        }
        const log = readFileSync(server.logFile, 'utf8');
        assert.ok(
          log.split('\n').some((line) => line.includes('"msg":"request completed"') && line.includes('/recovery?token=%5BRedacted%5D')),
          'the page requests were logged, with the token redacted',
        );
        assert.equal(log.includes(token), false, 'a link token reached the log');
        assert.equal(log.includes(formToken), false, 'a form token reached the log');
      });
    });

    describe('validation errors in authentik shapes', () => {
      it('400 non_field_errors: no email, disabled user, unknown stage, bad or out-of-range duration; field error for a missing stage', async () => {
        const noMail = await target({ email: null });
        const disabled = await target({ disabled: true });
        const plain = await target();
        const mail = (id: number, request: { emailStage: string; tokenDuration?: string }) =>
          authentikFailure(admin.core.coreUsersRecoveryEmailCreate({ id, userRecoveryEmailRequest: request }));

        assert.deepEqual((await mail(noMail.id, { emailStage: defaultStage })).body, { non_field_errors: 'User does not have an email address set.' });
        const off = await mail(disabled.id, { emailStage: defaultStage });
        assert.equal(off.status, 400);
        assert.equal(typeof off.body.non_field_errors, 'string');
        assert.equal((await authentikFailure(admin.core.coreUsersRecoveryCreate({ id: disabled.id }))).status, 400);
        for (const stage of ['5b7c0c1e-8d7e-4a53-9c2e-2f3d0b6b9d11', 'not-a-uuid']) {
          assert.deepEqual((await mail(plain.id, { emailStage: stage })).body, { non_field_errors: 'Email stage not found.' });
        }
        for (const tokenDuration of ['hour=1', 'days=2', 'minutes=4']) {
          const res = await mail(plain.id, { emailStage: defaultStage, tokenDuration });
          assert.equal(res.status, 400, tokenDuration);
          assert.equal(typeof res.body.non_field_errors, 'string');
        }
        assert.equal((await authentikFailure(admin.core.coreUsersRecoveryCreate({ id: plain.id, userRecoveryLinkRequest: { tokenDuration: 'weeks=1' } }))).status, 400);
        const unknownUser = await mail(987_654, { emailStage: defaultStage });
        assert.equal(unknownUser.status, 404);

        const raw = await failure(axios.post(`${server.baseUrl}/api/v3/core/users/${plain.id}/recovery_email/`, {}, { headers: { Authorization: `Bearer ${adminToken}` } }));
        assert.equal(raw.status, 400);
        assert.deepEqual(raw.data, { email_stage: ['This field is required.'] });
        assert.equal(smtp.mailsTo(plain.email).length, 0, 'no failed request mailed anything');
      });

      it('unreadable bodies and unknown paths under /api/v3/ answer in authentik shapes, with or without the trailing slash', async () => {
        const user = await target();
        const headers = { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' };
        const broken = await fetch(`${server.baseUrl}/api/v3/core/users/${user.id}/recovery/`, { method: 'POST', headers, body: '{"token_duration":' });
        assert.equal(broken.status, 400);
        const brokenBody = (await broken.json()) as Record<string, unknown>;
        assert.equal(typeof brokenBody.detail, 'string');
        assert.equal(brokenBody.type, undefined, 'not a Halo problem');
        const unknown = await fetch(`${server.baseUrl}/api/v3/core/no-such-thing/`, { headers });
        assert.equal(unknown.status, 404);
        assert.deepEqual(await unknown.json(), { detail: 'Not found.' });
        for (const path of [`/api/v3/core/users/${user.id}/`, `/api/v3/core/users/${user.id}`]) {
          const res = await fetch(`${server.baseUrl}${path}`, { headers });
          assert.equal(res.status, 200, path);
        }
      });

      it('accepts the older ?email_stage= query form and a body-less /recovery/', async () => {
        const user = await target();
        const http = axios.create({ baseURL: server.baseUrl, headers: { Authorization: `Bearer ${adminToken}` } });
        const res = await http.post(`/api/v3/core/users/${user.id}/recovery_email/?email_stage=${defaultStage}`);
        assert.equal(res.status, 204);
        await mailLink(user.email);
        const bare = await fetch(`${server.baseUrl}/api/v3/core/users/${user.id}/recovery/`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        });
        assert.equal(bare.status, 200);
        assert.match(((await bare.json()) as { link: string }).link, /^http:\/\/console\.example\.test\/recovery\?token=/);
      });
    });

    describe('limits', () => {
      it('per user: one mail per 60 s and 10 per day (429 {detail} with Retry-After); the clock decides', async () => {
        server.clock.advance(24 * 60 * MINUTE);
        const user = await target();
        const send = () => as('manager').core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: defaultStage } });
        await send();
        const limited = await authentikFailure(send());
        assert.equal(limited.status, 429);
        assert.match(String(limited.body.detail), /^Request was throttled\. Expected available in \d+ seconds\.$/);
        const retryAfter = Number(limited.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
        server.clock.advance(59_000);
        assert.equal((await authentikFailure(send())).status, 429);
        server.clock.advance(1_000);
        await send();
        for (let i = 3; i <= 10; i++) {
          server.clock.advance(MINUTE);
          await send();
        }
        server.clock.advance(MINUTE);
        assert.equal((await authentikFailure(send())).status, 429, 'the eleventh mail of the day');
        server.clock.advance(24 * 60 * MINUTE);
        await send();
        await nthMailTo(user.email, 11);
        assert.equal(smtp.mailsTo(user.email).length, 11);
      });

      it('per admin: 60 links or mails per hour', async () => {
        const user = await target();
        const busy = as('busy-admin');
        for (let i = 0; i < 60; i++) {
          await busy.core.coreUsersRecoveryCreate({ id: user.id });
        }
        const limited = await authentikFailure(busy.core.coreUsersRecoveryCreate({ id: user.id }));
        assert.equal(limited.status, 429);
        await admin.core.coreUsersRecoveryCreate({ id: user.id }); // another admin is not affected
        server.clock.advance(60 * MINUTE);
        await busy.core.coreUsersRecoveryCreate({ id: user.id });
      });
    });

    describe('email stages', () => {
      it('a default stage exists; super-role creates and changes stages, templates and values are validated', async () => {
        const listed = await as('helpdesk').stages.stagesEmailList();
        const stage = listed.results.find((s) => s.pk === defaultStage)!;
        assert.equal(stage.template, 'email/password_reset.html');
        assert.equal(stage.tokenExpiry, 'minutes=60');
        assert.equal(stage.useGlobalSettings, true);

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
        assert.match(created.pk, /^[0-9a-f-]{36}$/);
        assert.equal(created.subject, 'Help from ACME support');
        assert.equal(JSON.stringify(await server.dataSource.query('SELECT * FROM email_stages')).includes('never-stored'), false);
        assert.equal((await admin.stages.stagesEmailRetrieve({ stageUuid: created.pk })).name, `support-${kind}`);

        const bad = async (request: Record<string, unknown>) =>
          authentikFailure(admin.stages.stagesEmailPartialUpdate({ stageUuid: created.pk, patchedEmailStageRequest: request }));
        const template = await bad({ template: 'email/account_confirmation.html' });
        assert.equal(template.status, 400);
        assert.ok(Array.isArray(template.body.template));
        assert.ok(Array.isArray((await bad({ template: 'email-verify' })).body.template), 'a template without {{link}} is refused');
        assert.ok(Array.isArray((await bad({ tokenExpiry: 'days=2' })).body.token_expiry));
        assert.ok(Array.isArray((await bad({ fromAddress: 'a@b.test\r\nBcc: x@y.test' })).body.from_address));
        assert.ok(Array.isArray((await bad({ useGlobalSettings: false })).body.use_global_settings));
        assert.deepEqual((await bad({ name: 'default-recovery-email' })).body, { name: ['stage with this name already exists.'] });
        const missingName = await authentikFailure(admin.stages.stagesEmailCreate({ emailStageRequest: {} as never }));
        assert.deepEqual(missingName.body, { name: ['This field is required.'] });
        assert.equal((await authentikFailure(admin.stages.stagesEmailRetrieve({ stageUuid: '00000000-0000-4000-8000-000000000000' }))).status, 404);
        assert.equal((await authentikFailure(as('manager').stages.stagesEmailCreate({ emailStageRequest: { name: 'nope' } }))).status, 403);

        const patched = await admin.stages.stagesEmailPartialUpdate({ stageUuid: created.pk, patchedEmailStageRequest: { subject: 'ACME: reset your password' } });
        assert.equal(patched.subject, 'ACME: reset your password');
        assert.equal(patched.tokenExpiry, 'hours=2');

        const user = await target();
        await as('helpdesk').core.coreUsersRecoveryEmailCreate({ id: user.id, userRecoveryEmailRequest: { emailStage: created.pk } });
        const mail = await nthMailTo(user.email, 1);
        assert.equal(mail.subject, 'ACME: reset your password');
        assert.equal(mail.from, 'support@example.test');
        assert.match(mail.text, /expires in 120 minutes/);
      });
    });

    describe('Halo console: POST …/users/{name}/recovery-email', () => {
      it('mails a link through the default stage (204), answers Halo problems, and is in the OpenAPI document', async () => {
        const user = await target();
        const halo = haloClients(consoleAxios(server.baseUrl, { Authorization: `Bearer ${tokens.helpdesk}` }));
        const path = (name: string) => `/apis/api.console.halo.run/v1alpha1/users/${name}/recovery-email`;
        const res = await halo.http.post(path(user.name), { tokenDuration: 'hours=3' });
        assert.equal(res.status, 204);
        assert.ok((await mailLink(user.email)).startsWith(`${PUBLIC_URL}/recovery?token=`));
        const rows: { created_at: string | number; expires_at: string | number }[] = await server.dataSource.query(
          `SELECT created_at, expires_at FROM verification_codes WHERE user_id = ${user.id} AND purpose = 'recovery'`,
        );
        assert.equal(Number(rows[0]!.expires_at) - Number(rows[0]!.created_at), 3 * 60 * MINUTE);

        const noMail = await target({ email: null });
        const problem = await failure(halo.http.post(path(noMail.name), {}));
        assert.equal(problem.status, 400);
        assert.match(String(problem.headers['content-type']), /application\/problem\+json/);
        assert.equal(problem.data.detail, 'User does not have an email address set.');
        assert.equal((await failure(halo.http.post(path('no-such-user'), {}))).status, 404);
        const limited = await failure(halo.http.post(path(user.name), {}));
        assert.equal(limited.status, 429);
        assert.equal(limited.data.type, 'https://halo.run/probs/request-not-permitted');

        const docs = await axios.get(`${server.baseUrl}/v3/api-docs`);
        assert.equal(docs.data.paths['/apis/api.console.halo.run/v1alpha1/users/{name}/recovery-email'].post.operationId, 'SendRecoveryEmail');
      });
    });
  });
}
