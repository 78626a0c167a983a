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

    beforeAll(async () => {
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

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    for (const path of [DELIVERIES, AUDIT]) {
      it(`${path}: 401 anonymous, 403 with every role template, 200 for super-role`, async () => {
        expect((await failure(anonymous(server.baseUrl).http.get(path))).status).toBe(401);
        const forbidden = await failure(manager.http.get(path));
        expect(forbidden.status).toBe(403);
        expect(String(forbidden.headers['content-type'])).toMatch(/application\/problem\+json/);
        expect((await admin.http.get(path)).status).toBe(200);
      });
    }

    it('lists deliveries newest first with status, attempts, last error and timestamps, never payloads or codes', async () => {
      const res = await admin.http.get(DELIVERIES);
      expect(res.data.page).toBe(1);
      expect(res.data.size).toBe(20);
      expect(res.data.total).toBe(2);
      const [bounced, sent] = res.data.items;
      expect({ recipient: bounced.recipient, status: bounced.status, attempts: bounced.attempts, template: bounced.template, channel: bounced.channel }).toEqual({ recipient: 'bounces@example.test', status: 'failed', attempts: 1, template: 'email-verify', channel: 'email' });
      expect(bounced.lastError).toMatch(/550/);
      expect(sent.recipient).toBe('member-new@example.test');
      expect(sent.status).toBe('sent');
      expect(Date.parse(sent.sentAt) >= Date.parse(sent.createdAt)).toBeTruthy();
      expect(sent.messageId).toMatch(/^<.+@console\.example\.test>$/);
      for (const item of res.data.items) {
        expect(Object.keys(item).filter((k) => /payload|variables|code|secret/i.test(k))).toEqual([]);
      }
      const body = JSON.stringify(res.data);
      for (const secret of secrets) {
        expect(body.includes(secret)).toBe(false); // no secret in the list
      }
    });

    it('filters deliveries by status and pages them; an unknown status is a 400 problem', async () => {
      const failed = await admin.http.get(DELIVERIES, { params: { status: 'failed' } });
      expect(failed.data.items.map((i: { recipient: string }) => i.recipient)).toEqual(['bounces@example.test']);
      const paged = await admin.http.get(DELIVERIES, { params: { page: 2, size: 1 } });
      expect({ page: paged.data.page, size: paged.data.size, total: paged.data.total, totalPages: paged.data.totalPages, hasNext: paged.data.hasNext, hasPrevious: paged.data.hasPrevious }).toEqual({ page: 2, size: 1, total: 2, totalPages: 2, hasNext: false, hasPrevious: true });
      expect(paged.data.items[0].recipient).toBe('member-new@example.test');
      const toMember = await admin.http.get(DELIVERIES, { params: { recipient: 'member-new@example.test' } });
      expect(toMember.data.items.map((i: { recipient: string }) => i.recipient)).toEqual(['member-new@example.test']);
      const toNobody = await admin.http.get(DELIVERIES, { params: { recipient: 'nobody@example.test', status: 'sent' } });
      expect(toNobody.data.total).toBe(0);
      const capped = await admin.http.get(DELIVERIES, { params: { size: 1000 } });
      expect(capped.data.size).toBe(100);
      const bad = await failure(admin.http.get(DELIVERIES, { params: { status: 'lost' } }));
      expect(bad.status).toBe(400);
      expect(String(bad.headers['content-type'])).toMatch(/application\/problem\+json/);
    });

    it('pages the audit log by action and actor: logins, email verification and deliveries with actor, target, IP, time, outcome', async () => {
      const logins = await admin.http.get(AUDIT, { params: { action: 'login', actor: 'member' } });
      expect(logins.data.items.length >= 1).toBeTruthy();
      for (const event of logins.data.items) {
        expect(event.action).toBe('login');
        expect(event.actor).toBe('member');
        expect(event.outcome).toBe('success');
        expect(event.target).toBe('member');
        expect(event.ip).toBe('127.0.0.1');
        expect(Math.abs(Date.parse(event.occurredAt) - server.clock.now().getTime()) < 60_000).toBeTruthy();
      }
      const failedLogin = await admin.http.get(AUDIT, { params: { action: 'login' } });
      expect(failedLogin.data.items.some((e: { outcome: string; target: string; actor?: string }) => e.outcome === 'failure' && e.target === 'member' && e.actor === undefined)).toBeTruthy();

      const verify = await admin.http.get(AUDIT, { params: { action: 'email.verify', actor: 'member' } });
      expect(verify.data.items.map((e: { outcome: string }) => e.outcome)).toEqual(['success', 'failure']);
      expect(verify.data.items[0].target).toBe('member-new@example.test');

      const sent = await admin.http.get(AUDIT, { params: { action: 'delivery.sent' } });
      expect(sent.data.total).toBe(1);
      expect(sent.data.items[0].actor).toBe(undefined); // the worker acts as the system
      expect(sent.data.items[0].target).toBe('member-new@example.test');
      expect(Object.keys(sent.data.items[0].details).sort()).toEqual(['attempts', 'channel', 'deliveryId', 'template']);
      const byTarget = await admin.http.get(AUDIT, { params: { target: 'bounces@example.test' } });
      expect(byTarget.data.items.length >= 1).toBeTruthy();
      expect(byTarget.data.items.every((e: { target: string }) => e.target === 'bounces@example.test')).toBeTruthy();
      const failed = await admin.http.get(AUDIT, { params: { action: 'delivery.failed' } });
      expect(failed.data.items[0].target).toBe('bounces@example.test');
      expect(failed.data.items[0].details.error).toMatch(/550/);

      const paged = await admin.http.get(AUDIT, { params: { size: 2, page: 1 } });
      expect(paged.data.items.length).toBe(2);
      expect(paged.data.hasNext).toBe(true);
      expect(paged.data.items[0].id > paged.data.items[1].id).toBeTruthy(); // newest first
    });

    it('no secret ever reaches an audit row: codes, passwords, session cookies, tokens', async () => {
      const rows: Record<string, unknown>[] = await server.dataSource.query('SELECT * FROM audit_events');
      expect(rows.length >= 6).toBeTruthy();
      const stored = JSON.stringify(rows);
      const listed = JSON.stringify((await admin.http.get(AUDIT, { params: { size: 100 } })).data);
      for (const secret of secrets) {
        expect(stored.includes(secret)).toBe(false); // a secret in audit_events
        expect(listed.includes(secret)).toBe(false); // a secret in the audit list
      }
    });
  });
}
