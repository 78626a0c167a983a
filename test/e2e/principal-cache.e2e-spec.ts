import { Redis } from 'ioredis';
import { PrincipalCache } from '../../libs/console-users/src/auth/principal-cache';
import { sha256Hex } from '../../libs/console-users/src/common/crypto';
import { createPat } from '../support/accounts';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { HaloClients, loginAs, withToken } from '../support/http';
import { redisUnavailable, startRedis, TestRedis } from '../support/redis';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';
import { until } from '../support/wait';

const ME = '/apis/api.console.halo.run/v1alpha1/users/-';

/** A lifetime far beyond any test: an entry that goes away was dropped by an invalidation, not by age. */
const LONG_LIVED = { principalCache: { ttlMs: 10 * 60_000 } };

/**
 * Who the server takes the caller for: the user's name, `anonymousUser` (a session it no longer
 * knows: Halo answers the current user as anonymous), or the status of a refusal (a dead PAT: 401).
 */
const whoAmI = async (clients: HaloClients, headers: Record<string, string> = {}): Promise<string | number> => {
  const res = await clients.http.get(ME, { headers, validateStatus: () => true });
  return res.status === 200 ? (res.data as { user: { metadata: { name: string } } }).user.metadata.name : res.status;
};

const cacheOf = (server: TestServer): PrincipalCache => server.app.get(PrincipalCache, { strict: false });

const sessionCookie = (clients: HaloClients): string => clients.http.cookies.get('SESSION')!;

describe('principal cache', () => {
  for (const kind of testDatabases()) {
    describe(`on ${kind}, one instance`, () => {
      let db: TestDatabase;
      let server: TestServer;
      let admin: HaloClients;
      let seq = 0;

      beforeAll(async () => {
        db = await createTestDatabase(kind);
        server = await startTestServer(db, { overrides: { outbox: { enabled: false }, ...LONG_LIVED } });
        admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      });

      afterAll(async () => {
        await server?.close();
        await db?.drop();
      });

      /** A user with a session that has been answered once, so its principal sits in the cache. */
      async function cachedUser(): Promise<{ name: string; session: HaloClients; token: string }> {
        const name = `cached-${++seq}`;
        await seedUser(server.dataSource, { name, password: `${name}-password`, roles: ['role-template-view-users'] });
        const session = await loginAs(server.baseUrl, name, `${name}-password`);
        const token = await createPat(session, ['role-template-view-users']);
        expect(await whoAmI(session)).toBe(name);
        expect(await whoAmI(withToken(server.baseUrl, token))).toBe(name);
        expect(cacheOf(server).keys()).toEqual(expect.arrayContaining([`s:${sha256Hex(sessionCookie(session))}`, `p:${sha256Hex(token)}`]));
        return { name, session, token };
      }

      it('keys entries by the SHA-256 of the credential, never by the credential', async () => {
        const { session, token } = await cachedUser();
        const keys = cacheOf(server).keys();
        for (const secret of [sessionCookie(session), token, token.slice(4)]) {
          expect(keys.some((key) => key.includes(secret))).toBe(false);
        }
      });

      it('answers from the cache: a session deleted behind the server’s back keeps working until an invalidation', async () => {
        // Shows the cache is really used, so the revocation tests below prove the invalidation path.
        const { name, session } = await cachedUser();
        await server.dataSource.query(`UPDATE sessions SET revoked_at = expires_at WHERE token_hash = '${sha256Hex(sessionCookie(session))}'`);
        expect(await whoAmI(session)).toBe(name);
      });

      it('disabling a user makes the very next request with its session or token a 401', async () => {
        const { name, session, token } = await cachedUser();
        await admin.console.user.disableUser({ username: name });
        expect(await whoAmI(session)).toBe('anonymousUser');
        expect(await whoAmI(withToken(server.baseUrl, token))).toBe(401);
      });

      it('an admin password change makes the very next request a 401', async () => {
        const { name, session, token } = await cachedUser();
        await admin.console.user.changeAnyonePassword({ name, changePasswordRequest: { password: 'a-brand-new-password' } });
        expect(await whoAmI(session)).toBe('anonymousUser');
        expect(await whoAmI(withToken(server.baseUrl, token))).toBe(401);
      });

      it('a role change makes the very next request a 401', async () => {
        const { name, session, token } = await cachedUser();
        await admin.console.user.grantPermission({ name, grantRequest: { roles: ['guest'] } });
        expect(await whoAmI(session)).toBe('anonymousUser');
        expect(await whoAmI(withToken(server.baseUrl, token))).toBe(401);
      });

      it('revoking or deleting a PAT makes the very next request with it a 401, the session stays', async () => {
        const { name, session, token } = await cachedUser();
        const second = await createPat(session, []);
        expect(await whoAmI(withToken(server.baseUrl, second))).toBe(name);
        const tokens = (await session.uc.security.personalAccessToken.obtainPats()).data;
        const [first, other] = [...tokens].sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1));
        await session.uc.security.personalAccessToken.revokePat({ name: first!.metadata.name });
        await session.uc.security.personalAccessToken.deletePat({ name: other!.metadata.name });
        expect(await whoAmI(withToken(server.baseUrl, token))).toBe(401);
        expect(await whoAmI(withToken(server.baseUrl, second))).toBe(401);
        expect(await whoAmI(session)).toBe(name);
      });

      it('an active session outlives the idle timeout although its principal is cached (activity is still written)', async () => {
        const { name, session } = await cachedUser();
        for (let i = 0; i < 4; i++) {
          server.clock.advance(10 * 60_000);
          expect(await whoAmI(session)).toBe(name);
        }
      });

      it('logout makes the very next request with that cookie anonymous', async () => {
        const { session } = await cachedUser();
        const cookie = sessionCookie(session);
        await session.http.post('/logout');
        expect(await whoAmI(session, { Cookie: `SESSION=${cookie}` })).toBe('anonymousUser');
      });
    });
  }
});

// REDIS_URL set: a revocation on one instance reaches the cache of the other through pub/sub.
(redisUnavailable() ? describe.skip : describe)('principal cache across instances', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  for (const kind of testDatabases()) {
    describe(`on ${kind}`, () => {
      let db: TestDatabase;
      let first: TestServer;
      let second: TestServer;
      let isolated: TestServer;

      beforeAll(async () => {
        const flush = new Redis(redis.url);
        await flush.flushall();
        await flush.quit();
        db = await createTestDatabase(kind);
        const options = { env: { REDIS_URL: redis.url }, overrides: { outbox: { enabled: false }, ...LONG_LIVED } };
        first = await startTestServer(db, options);
        second = await startTestServer(db, options);
        // Same database, no Redis: shows what the bus is for.
        isolated = await startTestServer(db, { overrides: { outbox: { enabled: false }, ...LONG_LIVED } });
      });

      afterAll(async () => {
        await first?.close();
        await second?.close();
        await isolated?.close();
        await db?.drop();
      });

      it('a user disabled on one instance is refused by the other one too; without Redis it would not be', async () => {
        await seedUser(first.dataSource, { name: 'roamer', password: 'roamer-password', roles: ['role-template-view-users'] });
        const admin = await loginAs(first.baseUrl, 'admin', ADMIN_PASSWORD);
        const onFirst = await loginAs(first.baseUrl, 'roamer', 'roamer-password');
        const token = await createPat(onFirst, ['role-template-view-users']);
        const onSecond = withToken(second.baseUrl, token);
        const onIsolated = withToken(isolated.baseUrl, token);
        expect(await whoAmI(onSecond)).toBe('roamer');
        expect(await whoAmI(onIsolated)).toBe('roamer');
        expect(cacheOf(second).keys()).toContain(`p:${sha256Hex(token)}`);

        await admin.console.user.disableUser({ username: 'roamer' });

        expect(await whoAmI(withToken(first.baseUrl, token))).toBe(401);
        await until(async () => (await whoAmI(onSecond)) === 401, 'the second instance to refuse the token', 10_000);
        expect(cacheOf(second).keys()).not.toContain(`p:${sha256Hex(token)}`);
        expect(await whoAmI(onIsolated)).toBe('roamer');
      });
    });
  }
});
