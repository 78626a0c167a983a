import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { failure, loginAs, withToken } from '../support/http';
import { PublicApi, RawAnswer } from '../support/public-api';
import { assertSameAnswer, outboxTo, workOf } from '../support/public-codes';
import { seedUser } from '../support/seed';
import { ReceivedMail, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const SEND = '/apis/api.halo.run/v1alpha1/users/-/send-password-reset-email';
const resetPath = (name: string) => `/apis/api.halo.run/v1alpha1/users/${encodeURIComponent(name)}/reset-password`;
const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };

/** The console link in a reset mail: `/console/password-reset?username=…&reset_password_token=…` on PUBLIC_URL. */
function linkIn(mail: ReceivedMail): { username: string; token: string } {
  const match = /http:\/\/console\.example\.test(\/console\/password-reset\?\S+)/.exec(mail.text);
  assert.ok(match, `a console reset link in "${mail.subject}"`);
  const params = new URL(`http://x${match[1]}`).searchParams;
  assert.deepEqual([...params.keys()].sort(), ['reset_password_token', 'username']);
  return { username: params.get('username')!, token: params.get('reset_password_token')! };
}

function assertProblem(answer: RawAnswer, status: number): void {
  assert.equal(answer.status, status, answer.body);
  assert.match(answer.headers['content-type'] ?? '', /application\/problem\+json/);
  const problem = answer.json as { status: number; title: string; detail: string };
  assert.equal(problem.status, status);
  assert.equal(typeof problem.detail, 'string');
}

for (const kind of testDatabases()) {
  describe(`Halo public password reset on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;

    // Each call from its own address, so the per-IP limits stay out of tests that are not about them.
    const client = () => new PublicApi(server.baseUrl, { ip: `10.9.${Math.floor(++serial / 200)}.${(serial % 200) + 1}` });

    async function user(extra: { disabled?: boolean; language?: string } = {}) {
      const name = `reset-user-${++serial}`;
      const password = `password of ${name}`;
      const email = `${name}@example.test`;
      await seedUser(server.dataSource, { name, password, email, emailVerified: true, ...extra });
      return { name, password, email };
    }

    async function mailedLink(name: string, email: string, headers: Record<string, string> = {}) {
      const sent = await client().post(SEND, { username: name, email }, headers);
      assert.equal(sent.status, 204, sent.body);
      return linkIn(await smtp.waitFor((m) => m.to === email.toLowerCase()));
    }

    before(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Console <console@example.test>', TRUST_PROXY: '127.0.0.1' },
        overrides: { outbox: OUTBOX },
      });
    });

    after(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('mails a single-use console link; the new password works, every session and token of the user ends', async () => {
      const alice = await user();
      const session = await loginAs(server.baseUrl, alice.name, alice.password);
      const pat = (
        await session.uc.security.personalAccessToken.generatePat({
          personalAccessToken: {
            apiVersion: 'security.halo.run/v1alpha1',
            kind: 'PersonalAccessToken',
            metadata: { name: '', generateName: 'pat-' },
            spec: { name: 'cli', roles: [], scopes: [] } as never,
          },
        })
      ).data.metadata.annotations!['security.halo.run/access-token']!;

      const link = await mailedLink(alice.name, alice.email.toUpperCase().replace('@EXAMPLE.TEST', '@example.test'));
      assert.equal(link.username, alice.name);
      assert.ok(link.token.length >= 43, '32 random bytes');
      const mail = smtp.mailsTo(alice.email)[0]!;
      assert.equal(mail.subject, 'Reset your password');

      const done = await client().put(resetPath(alice.name), { newPassword: 'a brand new password', token: link.token });
      assert.equal(done.status, 204, done.body);

      assert.equal((await failure(session.uc.security.personalAccessToken.obtainPats())).status, 401, 'the session ended');
      assert.equal((await failure(withToken(server.baseUrl, pat).uc.security.personalAccessToken.obtainPats())).status, 401, 'the PAT was revoked');
      assert.equal((await failure(axios.post(`${server.baseUrl}/login`, { username: alice.name, password: alice.password }))).status, 401);
      const fresh = await loginAs(server.baseUrl, alice.name, 'a brand new password');
      assert.equal((await fresh.uc.security.personalAccessToken.obtainPats()).status, 200);
      await smtp.waitFor((m) => m.to === alice.email && m.subject !== 'Reset your password');

      assertProblem(await client().put(resetPath(alice.name), { newPassword: 'yet another password', token: link.token }), 403);
    });

    it('answers 204 with the same bytes and the same work for every pair; only a matching enabled account gets a mail', async () => {
      // Every pair reaches a recipient of its own: the per-recipient cooldown is not under test here.
      const known = await user();
      const other = await user();
      const disabled = await user({ disabled: true });
      const stranger = `stranger-${++serial}@example.test`;
      const pairs = [
        { username: 'nobody-here', email: stranger },
        { username: 'nobody-here-either', email: other.email },
        { username: known.name, email: `other-${serial}@example.test` },
        { username: disabled.name, email: disabled.email },
      ];
      const reference = await workOf(server.dataSource, () => client().post(SEND, { username: known.name, email: known.email }));
      assert.equal(reference.answer.status, 204);
      await smtp.waitFor((m) => m.to === known.email);
      for (const pair of pairs) {
        const answer = await workOf(server.dataSource, () => client().post(SEND, pair));
        assertSameAnswer(reference.answer, answer.answer);
        assert.deepEqual(answer.work, reference.work, JSON.stringify(pair));
      }
      assert.deepEqual((await outboxTo(server.dataSource, other.email)).map((r) => r.status), ['suppressed'], 'wrong name for the address');
      assert.deepEqual((await outboxTo(server.dataSource, stranger)).map((r) => r.status), ['suppressed']);
      assert.deepEqual((await outboxTo(server.dataSource, disabled.email)).map((r) => r.status), ['suppressed']);
      assert.equal(smtp.mailsTo(stranger).length + smtp.mailsTo(disabled.email).length, 0);
    });

    it('refuses bad, foreign and expired tokens with 403, and a bad password with 400 without using the link', async () => {
      const bob = await user();
      const carol = await user();
      assertProblem(await client().put(resetPath(bob.name), { newPassword: 'a good new password', token: 'x'.repeat(43) }), 403);
      assertProblem(await client().put(resetPath('no-such-user'), { newPassword: 'a good new password', token: 'x'.repeat(43) }), 403);

      const link = await mailedLink(bob.name, bob.email);
      assertProblem(await client().put(resetPath(carol.name), { newPassword: 'a good new password', token: link.token }), 403);
      const short = await client().put(resetPath(bob.name), { newPassword: 'short', token: link.token });
      assertProblem(short, 400);
      assert.match(short.body, /8 to 128 characters|between 8 and 128/);
      assertProblem(await client().put(resetPath(bob.name), { token: link.token }), 400);
      assert.equal((await client().put(resetPath(bob.name), { newPassword: 'a good new password', token: link.token })).status, 204, 'the link survived the 400s and the foreign use');

      const carolLink = await mailedLink(carol.name, carol.email);
      server.clock.advance(31 * 60_000);
      assertProblem(await client().put(resetPath(carol.name), { newPassword: 'a good new password', token: carolLink.token }), 403);
    });

    it('keeps the engine limits: a second request within the cooldown is 429 with Retry-After, for known and unknown pairs alike', async () => {
      const dave = await user();
      const first = await client().post(SEND, { username: dave.name, email: dave.email });
      assert.equal(first.status, 204);
      const again = await client().post(SEND, { username: dave.name, email: dave.email });
      assertProblem(again, 429);
      assert.ok(Number(again.headers['retry-after']) > 0);
      const stranger = `cool-${++serial}@example.test`;
      assert.equal((await client().post(SEND, { username: 'x', email: stranger })).status, 204);
      assert.equal((await client().post(SEND, { username: 'x', email: stranger })).status, 429);
    });

    it('mails in the reader\'s language (zh-CN)', async () => {
      const erin = await user();
      await mailedLink(erin.name, erin.email, { 'Accept-Language': 'zh-CN,zh;q=0.9' });
      const mail = smtp.mailsTo(erin.email).at(-1)!;
      assert.equal(mail.subject, '重置您的密码');
      assert.match(mail.text, /\/console\/password-reset\?username=/);
    });

    it('answers malformed requests with a 400 problem', async () => {
      assertProblem(await client().post(SEND, { username: 'someone' }), 400);
      assertProblem(await client().post(SEND, { username: 'someone', email: 'not an address' }), 400);
      assertProblem(await client().post(SEND, '{"username":'), 400);
    });
  });
}
