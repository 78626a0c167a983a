import axios, { AxiosResponse } from 'axios';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { seedUser } from '../support/seed';
import { startTestServer, TestServer } from '../support/test-server';

const USERS = 6;
const BURST = 24;
/** Bursts tried until one is refused in part: how requests reach the hasher depends on the scheduler. */
const MAX_BURSTS = 5;
const HOUR = 3_600_000;

// The bound sits in front of the hasher, not the database: one database kind is enough.
describe('password hashing bound at login (concurrency 1, 1 waiting)', () => {
  let db: TestDatabase;
  let server: TestServer;
  const users = Array.from({ length: USERS }, (_, i) => ({ name: `burst-user-${i}`, password: `burst-password-${i}` }));

  const login = (username: string, password: string, ip: string): Promise<AxiosResponse> =>
    axios.post(`${server.baseUrl}/login`, { username, password }, { headers: { 'X-Forwarded-For': ip }, validateStatus: () => true });

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    server = await startTestServer(db, {
      // Set through the environment, as an operator would; every client its own address so the
      // per-IP login limit stays out of the way.
      env: { PASSWORD_HASHING_CONCURRENCY: '1', PASSWORD_HASHING_MAX_QUEUED: '1', TRUST_PROXY: '127.0.0.1' },
    });
    for (const user of users) {
      await seedUser(server.dataSource, user);
    }
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('refuses the overflow of a burst with 503, Retry-After: 1 and a Halo problem; the rest log in or fail as usual', async () => {
    let responses: { res: AxiosResponse; right: boolean; password: string }[] = [];
    for (let burst = 0; burst < MAX_BURSTS && !responses.some(({ res }) => res.status === 503); burst++) {
      server.clock.advance(HOUR); // the wrong passwords of an earlier burst must not bring growing waits (429)
      responses = await Promise.all(
        Array.from({ length: BURST }, async (_, i) => {
          const user = users[i % USERS]!;
          // Every third attempt has a wrong password: those must still be plain 401s.
          const right = i % 3 !== 2;
          const password = right ? user.password : `wrong-${user.password}`;
          return { res: await login(user.name, password, `198.51.100.${burst * BURST + i + 1}`), right, password };
        }),
      );
    }

    const refused = responses.filter(({ res }) => res.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    // Concurrency 1 and one waiting: the first two always got a turn.
    expect(refused.length).toBeLessThanOrEqual(BURST - 2);
    for (const { res, right, password } of responses) {
      expect([200, 401, 503]).toContain(res.status);
      if (res.status === 200) {
        expect(right).toBe(true);
        expect((res.headers['set-cookie'] ?? []).some((c: string) => c.startsWith('SESSION='))).toBe(true);
      }
      if (res.status === 401) {
        expect(right).toBe(false);
        expect(res.data.type).toBe('https://halo.run/probs/invalid-credential');
      }
      if (res.status === 503) {
        expect(res.headers['retry-after']).toBe('1');
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.data).toMatchObject({ type: 'about:blank', title: 'Service Unavailable', status: 503, instance: '/login' });
        expect(typeof res.data.detail).toBe('string');
        expect(JSON.stringify(res.data)).not.toContain(password);
      }
    }
  });

  it('counts refused attempts towards no lockout, and frees every place afterwards', async () => {
    server.clock.advance(HOUR);
    // One address may fail 10 times per account in 15 minutes; the 11th attempt is a 429. Wrong
    // guesses from that address race logins of other users for the one running and one waiting
    // place; the refused guesses (503) were never compared and must not count. Guesses are sent
    // only while the compared ones stay below the limit, until refused + compared reach it.
    const victim = users[0]!;
    const address = '203.0.113.50';
    let compared = 0;
    let refused = 0;
    for (let round = 0; round < 20 && compared + refused < 10; round++) {
      const guesses = Math.min(4, 9 - compared);
      if (guesses === 0) {
        break;
      }
      const others = users.slice(1).map((u, i) => login(u.name, u.password, `203.0.113.${100 + i}`));
      const answers = await Promise.all(Array.from({ length: guesses }, () => login(victim.name, 'not-the-password', address)));
      for (const res of answers) {
        expect([401, 503]).toContain(res.status);
      }
      compared += answers.filter((res) => res.status === 401).length;
      refused += answers.filter((res) => res.status === 503).length;
      for (const res of await Promise.all(others)) {
        expect([200, 503]).toContain(res.status);
      }
    }
    expect(compared).toBeLessThan(10);
    expect(compared + refused).toBeGreaterThanOrEqual(10);

    // Had the refusals counted, this would be the 11th failure or later: a 429.
    expect((await login(victim.name, victim.password, address)).status).toBe(200);
    for (const user of users.slice(1)) {
      expect((await login(user.name, user.password, '203.0.113.51')).status).toBe(200);
    }
  });
});
