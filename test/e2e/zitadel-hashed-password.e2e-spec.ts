import { hash as argon2 } from '@node-rs/argon2';
import axios from 'axios';
import { hashSync } from 'bcryptjs';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';
import { assertDetails, assertZitadelError, userIdOf } from '../support/zitadel';

/** The stored hash of a user, straight from the database. */
async function storedHash(server: TestServer, name: string): Promise<string> {
  const rows: { password_hash: string }[] = await server.dataSource.query(`SELECT password_hash FROM users WHERE name = '${name}'`);
  return rows[0]!.password_hash;
}

for (const kind of testDatabases()) {
  // "Also finish": hashedPassword answered 501; now argon2id PHC strings and bcrypt hashes are
  // accepted on SetPassword and AddHumanUser, checked at login and rehashed to ours.
  describe(`ZITADEL hashedPassword on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let admin: HaloClients;
    let manager: HaloClients;
    let plain: HaloClients;
    let serial = 0;

    const login = async (username: string, password: string) =>
      (await axios.post(`${server.baseUrl}/login`, { username, password }, { validateStatus: () => true })).status;
    const human = (extra: Record<string, unknown> = {}) => {
      const name = `human-${++serial}`;
      return {
        name,
        body: { username: name, profile: { givenName: 'Ada', familyName: 'Lovelace' }, email: { email: `${name}@example.test`, isVerified: true }, ...extra },
      };
    };

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1' }, overrides: { outbox: { pollIntervalMs: 50, backoffBaseMs: 1_000 } } });
      await seedUser(server.dataSource, { name: 'hmanager', password: 'hmanager-password', roles: ['role-template-manage-users'] });
      await seedUser(server.dataSource, { name: 'hplain', password: 'hplain-password' });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      manager = await loginAs(server.baseUrl, 'hmanager', 'hmanager-password');
      plain = await loginAs(server.baseUrl, 'hplain', 'hplain-password');
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    describe('SetPassword with hashedPassword', () => {
      it.each([
        ['bcrypt ($2b$, cost 10)', () => Promise.resolve(hashSync('bcrypt imported secret', 10)), 'bcrypt imported secret'],
        ['bcrypt ($2a$, cost 4)', () => Promise.resolve(hashSync('old system secret', 4).replace(/^\$2b\$/, '$2a$')), 'old system secret'],
        ['argon2id PHC', () => argon2('argon2 imported secret', { memoryCost: 8192, timeCost: 1, parallelism: 1 }), 'argon2 imported secret'],
      ])('%s: the old password logs in once as imported, and the stored hash is then ours', async (_, make, password) => {
        const name = `hashed-${++serial}`;
        await seedUser(server.dataSource, { name, password: 'before the import 1' });
        const id = await userIdOf(server.dataSource, name);
        const hash = await make();
        const set = await manager.http.post(`/v2/users/${id}/password`, { hashedPassword: { hash } });
        expect(set.status).toBe(200);
        assertDetails(set.data);
        expect(await login(name, 'before the import 1')).toBe(401);
        expect(await login(name, 'not the password')).toBe(401);
        expect(await storedHash(server, name)).toBe(`imported:${hash}`); // not rehashed by a failure
        expect(await login(name, password)).toBe(200);
        const rehashed = await storedHash(server, name);
        expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        expect(await login(name, password)).toBe(200);
      });

      it('401 without credentials for the no-proof form, 403 for a caller without users/password update', async () => {
        const id = await userIdOf(server.dataSource, 'hplain');
        const hash = hashSync('whatever secret', 4);
        // Without a code or current password, the anonymous caller is asked to authenticate.
        const res = await failure(anonymous(server.baseUrl).http.post(`/v2/users/${id}/password`, { hashedPassword: { hash } }));
        expect(res.status).toBe(401);
        const managerId = await userIdOf(server.dataSource, 'hmanager');
        assertZitadelError(await failure(plain.http.post(`/v2/users/${managerId}/password`, { hashedPassword: { hash } })), 403, 7);
      });

      it('with changeRequired, the imported password logs in and must then be changed', async () => {
        const name = `hashed-${++serial}`;
        await seedUser(server.dataSource, { name, password: 'before the import 2' });
        const id = await userIdOf(server.dataSource, name);
        await manager.http.post(`/v2/users/${id}/password`, { hashedPassword: { hash: hashSync('temporary import', 4), changeRequired: true } });
        const halo = await loginAs(server.baseUrl, name, 'temporary import');
        expect((await failure(halo.http.get(`/v2/users/${id}`))).status).toBe(403);
        expect((await halo.http.post(`/v2/users/${id}/password`, { currentPassword: 'temporary import', newPassword: { password: 'chosen by me now' } })).status).toBe(200);
        expect(await login(name, 'chosen by me now')).toBe(200);
      });

      it.each([
        ['plain text', 'just a password'],
        ['MD5 crypt', '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/'],
        ['SHA-512 crypt', `$6$rounds=5000$salt$${'a'.repeat(86)}`],
        ['argon2id with 4 GiB of memory', '$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2g'],
      ])('%s is InvalidArgument, the hash is not echoed, and the password is unchanged', async (_, hash) => {
        const name = `hashed-${++serial}`;
        await seedUser(server.dataSource, { name, password: 'kept password 123' });
        const id = await userIdOf(server.dataSource, name);
        const res = await failure(manager.http.post(`/v2/users/${id}/password`, { hashedPassword: { hash } }));
        assertZitadelError(res, 400, 3);
        expect(JSON.stringify(res.data)).not.toContain(hash);
        expect(await login(name, 'kept password 123')).toBe(200);
      });

      it('newPassword and hashedPassword together are InvalidArgument', async () => {
        const id = await userIdOf(server.dataSource, 'hplain');
        assertZitadelError(
          await failure(manager.http.post(`/v2/users/${id}/password`, { newPassword: { password: 'a long password' }, hashedPassword: { hash: hashSync('x', 4) } })),
          400,
          3,
        );
      });
    });

    describe('AddHumanUser (POST /v2/users/human)', () => {
      it('401 without credentials', async () => {
        const res = await failure(anonymous(server.baseUrl).http.post('/v2/users/human', human().body));
        assertZitadelError(res, 401, 16);
      });

      it('403 without users create', async () => {
        assertZitadelError(await failure(plain.http.post('/v2/users/human', human().body)), 403, 7);
      });

      it('creates a user with an imported bcrypt hash that logs in and is rehashed', async () => {
        const { name, body } = human({ hashedPassword: { hash: hashSync('imported at creation', 10) } });
        const res = await manager.http.post('/v2/users/human', body);
        expect(res.status).toBe(201);
        expect(res.data.userId).toBe(await userIdOf(server.dataSource, name));
        assertDetails(res.data);
        expect(res.data.emailCode).toBeUndefined();
        const user = (await admin.http.get(`/v2/users/${res.data.userId}`)).data.user;
        expect(user).toMatchObject({ username: name, human: { profile: { displayName: 'Ada Lovelace' }, email: { email: `${name}@example.test`, isVerified: true } } });
        expect(await login(name, 'imported at creation')).toBe(200);
        expect(await storedHash(server, name)).toMatch(/^\$argon2id\$/);
      });

      it('returnCode needs the code-returning permission, checked before anything is created', async () => {
        const { name, body } = human({ email: { email: `noret-${serial}@example.test`, returnCode: {} } });
        assertZitadelError(await failure(manager.http.post('/v2/users/human', body)), 403, 7);
        const rows: unknown[] = await server.dataSource.query(`SELECT id FROM users WHERE name = '${name}'`);
        expect(rows).toEqual([]);
      });

      it('with a plain password and changeRequired, and a returned email code that verifies the address', async () => {
        const { name, body } = human({ email: { email: `ret-${serial}@example.test`, returnCode: {} }, password: { password: 'first password 1', changeRequired: true } });
        const res = await admin.http.post('/v2/users/human', body);
        expect(res.status).toBe(201);
        expect(res.data.emailCode).toMatch(/^\d{6}$/);
        const verified = await axios.post(`${server.baseUrl}/v2/users/${res.data.userId}/email/verify`, { verificationCode: res.data.emailCode });
        expect(verified.status).toBe(200);
        const halo = await loginAs(server.baseUrl, name, 'first password 1');
        expect((await failure(halo.http.get(`/v2/users/${res.data.userId}`))).status).toBe(403);
        expect((await admin.http.get(`/v2/users/${res.data.userId}`)).data.user.human.passwordChangeRequired).toBe(true);
      });

      it('without a choice for the email, the code is mailed (ZITADEL default)', async () => {
        const address = `mailed-${serial}@example.test`;
        const { body } = human({ email: { email: address } });
        const res = await manager.http.post('/v2/users/human', body);
        expect(res.status).toBe(201);
        const mail = await smtp.waitFor((m) => m.to === address);
        expect(codeIn(mail)).toMatch(/^\d{6}$/);
      });

      it('refuses a bad username, a duplicate, a weak password, an unsupported hash, and metadata', async () => {
        assertZitadelError(await failure(manager.http.post('/v2/users/human', { ...human().body, username: 'Not Valid' })), 400, 3);
        assertZitadelError(await failure(manager.http.post('/v2/users/human', { ...human().body, username: 'hplain' })), 409, 6);
        assertZitadelError(await failure(manager.http.post('/v2/users/human', human({ password: { password: 'short' } }).body)), 400, 3);
        assertZitadelError(await failure(manager.http.post('/v2/users/human', human({ hashedPassword: { hash: '$1$x$y' } }).body)), 400, 3);
        assertZitadelError(await failure(manager.http.post('/v2/users/human', human({ metadata: [{ key: 'k', value: 'dg==' }] }).body)), 400, 3);
      });
    });
  });
}
