import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { failure, HaloClients, loginAs, withToken } from '../support/http';
import { PublicApi } from '../support/public-api';
import { b64 } from '../support/public-codes';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };
/** An emoji sequence joined with U+200D (ZWJ): "woman technologist, medium skin tone". */
const TECHNOLOGIST = '👩🏽‍💻';
/** Hebrew with U+200F (RLM) and Latin with U+200E (LRM). */
const WITH_MARKS = 'שלום\u200F Dana\u200E';
/** A Persian name that needs U+200C (ZWNJ) between its parts. */
const PERSIAN = 'مهرآ\u200Cسا';
/** A decomposed umlaut (combining mark U+0308) and a zero-width space. */
const COMBINING = 'Zoe\u0308 a\u200Bb';

for (const kind of testDatabases()) {
  // Issue 14 items 5 and 6: what Halo's own console sends (empty expiry on a PAT) and what real
  // names look like (ZWJ, ZWNJ, RLM/LRM, combining marks).
  describe(`Halo UI bodies and real names on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let admin: HaloClients;
    let serial = 0;

    async function freshUser(): Promise<{ name: string; halo: HaloClients }> {
      const name = `names-${++serial}`;
      await seedUser(server.dataSource, { name, password: `password of ${name}` });
      return { name, halo: await loginAs(server.baseUrl, name, `password of ${name}`) };
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1' }, overrides: { outbox: OUTBOX } });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    describe('PAT creation as Halo console sends it', () => {
      it('401 without a session', async () => {
        const res = await failure(
          withToken(server.baseUrl, 'pat_nonsense').uc.security.personalAccessToken.generatePat({
            personalAccessToken: { apiVersion: 'security.halo.run/v1alpha1', kind: 'PersonalAccessToken', metadata: { name: '' }, spec: { name: 'x', expiresAt: '' } as never },
          }),
        );
        expect(res.status).toBe(401);
      });

      it('a role the creator does not hold is still refused', async () => {
        const { halo } = await freshUser();
        const res = await failure(
          halo.uc.security.personalAccessToken.generatePat({
            personalAccessToken: {
              apiVersion: 'security.halo.run/v1alpha1',
              kind: 'PersonalAccessToken',
              metadata: { name: '' },
              spec: { name: 'x', expiresAt: '', roles: ['super-role'], tokenId: '', username: '' } as never,
            },
          }),
        );
        expect(res.status).toBe(400);
        expect(res.data.detail).toMatch(/not held/);
      });

      it('spec.expiresAt "" (expiry left empty), tokenId "" and username "": a token that never expires', async () => {
        const { name, halo } = await freshUser();
        const created = await halo.uc.security.personalAccessToken.generatePat({
          personalAccessToken: {
            apiVersion: 'security.halo.run/v1alpha1',
            kind: 'PersonalAccessToken',
            metadata: { name: '', generateName: 'pat-' },
            spec: { name: 'from the console', description: '', expiresAt: '', roles: [], scopes: [], tokenId: '', username: '' } as never,
          },
        });
        expect(created.data.spec!.expiresAt).toBeUndefined();
        expect(created.data.spec!.username).toBe(name);
        expect(created.data.spec!.tokenId).not.toBe('');
        const token = created.data.metadata.annotations!['security.halo.run/access-token']!;
        const me = await withToken(server.baseUrl, token).console.user.getCurrentUserDetail();
        expect(me.data.user.metadata.name).toBe(name);
      });

      it('a malformed expiresAt is still a 400 naming the field', async () => {
        const { halo } = await freshUser();
        const res = await failure(
          halo.uc.security.personalAccessToken.generatePat({
            personalAccessToken: { apiVersion: 'security.halo.run/v1alpha1', kind: 'PersonalAccessToken', metadata: { name: '' }, spec: { name: 'x', expiresAt: 'tomorrow' } as never },
          }),
        );
        expect(res.status).toBe(400);
        expect(res.data.detail).toMatch(/expiresAt/);
      });
    });

    describe('user edit form as Halo console sends it', () => {
      it('spec.email "" for a user without an address is "no email", not a 400', async () => {
        const created = await admin.console.user.createUser({ createUserRequest: { name: `noemail-${++serial}`, email: `noemail-${serial}@example.test`, roles: [] } });
        const name = created.data.metadata.name;
        const current = (await admin.core.user.getUser({ name })).data;
        const cleared = await admin.core.user.updateUser({ name, user: { ...current, spec: { ...current.spec, email: '', phone: '', avatar: '', bio: '' } } });
        expect(cleared.data.spec.email ?? '').toBe('');
        const again = await admin.core.user.updateUser({ name, user: { ...cleared.data, spec: { ...cleared.data.spec, email: '', displayName: 'Edited' } } });
        expect(again.data.spec.displayName).toBe('Edited');
      });
    });

    describe('display names and bios keep ZWJ, ZWNJ, LRM, RLM and combining marks, exactly as sent', () => {
      it.each([
        ['an emoji joined with ZWJ', TECHNOLOGIST],
        ['RLM and LRM', WITH_MARKS],
        ['a Persian name with ZWNJ', PERSIAN],
        ['combining marks and a zero-width space', COMBINING],
      ])('UpdateCurrentUser with %s', async (_, text) => {
        const { name, halo } = await freshUser();
        const me = (await halo.console.user.getCurrentUserDetail()).data.user;
        const updated = await halo.console.user.updateCurrentUser({ user: { ...me, spec: { ...me.spec, displayName: text, bio: `${text}\nsecond line` } } });
        expect(updated.data.spec.displayName).toBe(text);
        const stored = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ name });
        expect(stored.displayName).toBe(text);
        expect(stored.bio).toBe(`${text}\nsecond line`);
        expect((await halo.console.user.getCurrentUserDetail()).data.user.spec.displayName).toBe(text);
      });

      it('CreateUser and the core PUT take them too, and the list finds the name by keyword', async () => {
        const created = await admin.console.user.createUser({
          createUserRequest: { name: `created-${++serial}`, email: `created-${serial}@example.test`, displayName: TECHNOLOGIST, bio: PERSIAN, roles: [] },
        });
        expect(created.data.spec.displayName).toBe(TECHNOLOGIST);
        expect(created.data.spec.bio).toBe(PERSIAN);
        const current = (await admin.core.user.getUser({ name: created.data.metadata.name })).data;
        const put = await admin.core.user.updateUser({ name: current.metadata.name, user: { ...current, spec: { ...current.spec, displayName: WITH_MARKS } } });
        expect(put.data.spec.displayName).toBe(WITH_MARKS);
        const listed = await admin.console.user.listUsers({ keyword: WITH_MARKS });
        expect(listed.data.items.map((i) => i.user.metadata.name)).toContain(created.data.metadata.name);
      });

      it.each([
        ['RLO (bidi override)', 'evil\u202Eman'],
        ['LRI (bidi isolate)', 'a\u2066b'],
        ['a NUL', 'a\u0000b'],
        ['a C1 control', 'a\u0085b'],
        ['a non-character', 'a\uFDD0b'],
      ])('refuses %s with a 400 problem', async (_, text) => {
        const { halo } = await freshUser();
        const me = (await halo.console.user.getCurrentUserDetail()).data.user;
        const res = await failure(halo.console.user.updateCurrentUser({ user: { ...me, spec: { ...me.spec, displayName: text } } }));
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.data.detail).toMatch(/displayName/);
      });

      it('usernames keep Halo strict pattern', async () => {
        const res = await failure(
          admin.console.user.createUser({ createUserRequest: { name: `a\u200Db-${++serial}`, email: `zwj-${serial}@example.test`, roles: [] } }),
        );
        expect(res.status).toBe(400);
      });

      it('Fresns register keeps a nickname with ZWJ as sent, and refuses a bidi override with 35107', async () => {
        const api = new PublicApi(server.baseUrl, { ip: '10.9.0.1' });
        const email = `nick-${++serial}@example.test`;
        await api.post('/api/v2/common/send-verify-code', { type: 'email', useType: 1, templateId: 2, account: email });
        const mail = await smtp.waitFor((m) => m.to === email);
        const body = { type: 'email', account: email, verifyCode: codeIn(mail), password: b64('a long enough password') };
        const refused = await api.post('/api/v2/account/register', { ...body, nickname: 'evil\u202Eman' });
        expect((refused.json as { code: number }).code).toBe(35107);
        const registered = await api.post('/api/v2/account/register', { ...body, nickname: ` ${TECHNOLOGIST} ${PERSIAN}` });
        const answer = registered.json as { code: number; data: { detail: { username: string; nickname: string } } };
        expect(answer.code).toBe(0);
        expect(answer.data.detail.nickname).toBe(` ${TECHNOLOGIST} ${PERSIAN}`);
        const stored = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ name: answer.data.detail.username });
        expect(stored.displayName).toBe(` ${TECHNOLOGIST} ${PERSIAN}`);
      });
    });
  });
}
