import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_ROLES } from '../../libs/console-users/src/rbac/builtin-roles';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';
import { until } from '../support/wait';

const DELIVERIES = '/apis/api.console.halo.run/v1alpha1/deliveries';
const AUDIT = '/apis/api.console.halo.run/v1alpha1/audit-events';

/** Every built-in role but super-role: none of them may reach the operator lists. */
const ALL_OTHER_ROLES = BUILTIN_ROLES.map((r) => r.name).filter((name) => name !== 'super-role');

for (const kind of testDatabases()) {
  describe(`operator lists (deliveries, audit events) on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let admin: HaloClients;
    let manager: HaloClients;
    const secrets: string[] = [ADMIN_PASSWORD, 'member-password', 'manager-password', 'a-wrong-password-guess'];

    before(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url }, overrides: { outbox: { pollIntervalMs: 50, backoffBaseMs: 1_000 } } });
      await seedUser(server.dataSource, { name: 'member', password: 'member-password' });
      await seedUser(server.dataSource, { name: 'manager', password: 'manager-password', roles: ALL_OTHER_ROLES });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      manager = await loginAs(server.baseUrl, 'manager', 'manager-password');
      secrets.push(...admin.http.cookies.values(), ...manager.http.cookies.values());

      // Some history: a failed login, a code sent and verified (after one wrong guess), a PAT, a bounced mail.
      await failure(loginAs(server.baseUrl, 'member', 'a-wrong-password-guess').then((c) => c.console.user.getCurrentUserDetail()));
      const member = await loginAs(server.baseUrl, 'member', 'member-password');
      secrets.push(...member.http.cookies.values());
      await member.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'member-new@example.test' } });
      const code = codeIn(await smtp.waitFor((m) => m.to === 'member-new@example.test'));
      secrets.push(code);
      await failure(member.console.user.verifyEmail({ verifyCodeRequest: { code: code === '000000' ? '000001' : '000000', password: 'member-password' } }));
      await member.console.user.verifyEmail({ verifyCodeRequest: { code, password: 'member-password' } });
      const pat = await admin.uc.security.personalAccessToken.generatePat({
        personalAccessToken: {
          apiVersion: 'security.halo.run/v1alpha1',
          kind: 'PersonalAccessToken',
          metadata: { name: '', generateName: 'pat-' },
          spec: { name: 'ops', roles: ['super-role'], scopes: [] } as never,
        },
      });
      secrets.push(pat.data.metadata.annotations!['security.halo.run/access-token']!);
      smtp.rejectWith = 550;
      await admin.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'bounces@example.test' } });
      await until(async () => {
        const rows: unknown[] = await server.dataSource.query(`SELECT id FROM outbox_messages WHERE status = 'failed'`);
        return rows.length === 1;
      }, 'the bounced delivery');
      smtp.rejectWith = undefined;
      await until(async () => {
        const rows: unknown[] = await server.dataSource.query(`SELECT id FROM audit_events WHERE action = 'delivery.sent'`);
        return rows.length === 1;
      }, 'the delivery audit');
    });

    after(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    for (const path of [DELIVERIES, AUDIT]) {
      it(`${path}: 401 anonymous, 403 with every role template, 200 for super-role`, async () => {
        assert.equal((await failure(anonymous(server.baseUrl).http.get(path))).status, 401);
        const forbidden = await failure(manager.http.get(path));
        assert.equal(forbidden.status, 403);
        assert.match(String(forbidden.headers['content-type']), /application\/problem\+json/);
        assert.equal((await admin.http.get(path)).status, 200);
      });
    }

    it('lists deliveries newest first with status, attempts, last error and timestamps, never payloads or codes', async () => {
      const res = await admin.http.get(DELIVERIES);
      assert.equal(res.data.page, 1);
      assert.equal(res.data.size, 20);
      assert.equal(res.data.total, 2);
      const [bounced, sent] = res.data.items;
      assert.deepEqual(
        { recipient: bounced.recipient, status: bounced.status, attempts: bounced.attempts, template: bounced.template, channel: bounced.channel },
        { recipient: 'bounces@example.test', status: 'failed', attempts: 1, template: 'email-verify', channel: 'email' },
      );
      assert.match(bounced.lastError, /550/);
      assert.equal(sent.recipient, 'member-new@example.test');
      assert.equal(sent.status, 'sent');
      assert.ok(Date.parse(sent.sentAt) >= Date.parse(sent.createdAt));
      assert.match(sent.messageId, /^<.+@console\.example\.test>$/);
      for (const item of res.data.items) {
        assert.deepEqual(Object.keys(item).filter((k) => /payload|variables|code|secret/i.test(k)), []);
      }
      const body = JSON.stringify(res.data);
      for (const secret of secrets) {
        assert.equal(body.includes(secret), false, 'no secret in the list');
      }
    });

    it('filters deliveries by status and pages them; an unknown status is a 400 problem', async () => {
      const failed = await admin.http.get(DELIVERIES, { params: { status: 'failed' } });
      assert.deepEqual(failed.data.items.map((i: { recipient: string }) => i.recipient), ['bounces@example.test']);
      const paged = await admin.http.get(DELIVERIES, { params: { page: 2, size: 1 } });
      assert.deepEqual(
        { page: paged.data.page, size: paged.data.size, total: paged.data.total, totalPages: paged.data.totalPages, hasNext: paged.data.hasNext, hasPrevious: paged.data.hasPrevious },
        { page: 2, size: 1, total: 2, totalPages: 2, hasNext: false, hasPrevious: true },
      );
      assert.equal(paged.data.items[0].recipient, 'member-new@example.test');
      const toMember = await admin.http.get(DELIVERIES, { params: { recipient: 'member-new@example.test' } });
      assert.deepEqual(toMember.data.items.map((i: { recipient: string }) => i.recipient), ['member-new@example.test']);
      const toNobody = await admin.http.get(DELIVERIES, { params: { recipient: 'nobody@example.test', status: 'sent' } });
      assert.equal(toNobody.data.total, 0);
      const capped = await admin.http.get(DELIVERIES, { params: { size: 1000 } });
      assert.equal(capped.data.size, 100);
      const bad = await failure(admin.http.get(DELIVERIES, { params: { status: 'lost' } }));
      assert.equal(bad.status, 400);
      assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
    });

    it('pages the audit log by action and actor: logins, email verification and deliveries with actor, target, IP, time, outcome', async () => {
      const logins = await admin.http.get(AUDIT, { params: { action: 'login', actor: 'member' } });
      assert.ok(logins.data.items.length >= 1);
      for (const event of logins.data.items) {
        assert.equal(event.action, 'login');
        assert.equal(event.actor, 'member');
        assert.equal(event.outcome, 'success');
        assert.equal(event.target, 'member');
        assert.equal(event.ip, '127.0.0.1');
        assert.ok(Math.abs(Date.parse(event.occurredAt) - server.clock.now().getTime()) < 60_000);
      }
      const failedLogin = await admin.http.get(AUDIT, { params: { action: 'login' } });
      assert.ok(failedLogin.data.items.some((e: { outcome: string; target: string; actor?: string }) => e.outcome === 'failure' && e.target === 'member' && e.actor === undefined));

      const verify = await admin.http.get(AUDIT, { params: { action: 'email.verify', actor: 'member' } });
      assert.deepEqual(verify.data.items.map((e: { outcome: string }) => e.outcome), ['success', 'failure']);
      assert.equal(verify.data.items[0].target, 'member-new@example.test');

      const sent = await admin.http.get(AUDIT, { params: { action: 'delivery.sent' } });
      assert.equal(sent.data.total, 1);
      assert.equal(sent.data.items[0].actor, undefined, 'the worker acts as the system');
      assert.equal(sent.data.items[0].target, 'member-new@example.test');
      assert.deepEqual(Object.keys(sent.data.items[0].details).sort(), ['attempts', 'channel', 'deliveryId', 'template']);
      const byTarget = await admin.http.get(AUDIT, { params: { target: 'bounces@example.test' } });
      assert.ok(byTarget.data.items.length >= 1);
      assert.ok(byTarget.data.items.every((e: { target: string }) => e.target === 'bounces@example.test'));
      const failed = await admin.http.get(AUDIT, { params: { action: 'delivery.failed' } });
      assert.equal(failed.data.items[0].target, 'bounces@example.test');
      assert.match(failed.data.items[0].details.error, /550/);

      const paged = await admin.http.get(AUDIT, { params: { size: 2, page: 1 } });
      assert.equal(paged.data.items.length, 2);
      assert.equal(paged.data.hasNext, true);
      assert.ok(paged.data.items[0].id > paged.data.items[1].id, 'newest first');
    });

    it('no secret ever reaches an audit row: codes, passwords, session cookies, tokens', async () => {
      const rows: Record<string, unknown>[] = await server.dataSource.query('SELECT * FROM audit_events');
      assert.ok(rows.length >= 6);
      const stored = JSON.stringify(rows);
      const listed = JSON.stringify((await admin.http.get(AUDIT, { params: { size: 100 } })).data);
      for (const secret of secrets) {
        assert.equal(stored.includes(secret), false, 'a secret in audit_events');
        assert.equal(listed.includes(secret), false, 'a secret in the audit list');
      }
    });
  });
}
