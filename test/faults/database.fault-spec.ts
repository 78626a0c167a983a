import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { failure, loginAs } from '../support/http';
import { TestSmtpServer } from '../support/smtp';
import { ADMIN_PASSWORD, TestServer } from '../support/test-server';
import { until } from '../support/wait';
import { FaultPostgres } from './support/fault-postgres';
import { accepted, Answer, call, loadLoop, sendCode, sleep, startFaultServer } from './support/load';

/** How long PostgreSQL stays stopped under load (the 30 s; FAULT_OUTAGE_MS shortens it locally). */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 30_000);
/** How long it stays frozen. */
const FREEZE_MS = Math.min(OUTAGE_MS, 8_000);
const HANG_GUARD = OUTAGE_MS + 120_000;

/** A bearer token the server must look up in the database (so the route needs the database). */
const UNKNOWN_PAT = { authorization: 'Bearer pat_0123456789abcdef0123456789abcdef' };

describe('PostgreSQL outages under load (real embedded PostgreSQL, real SMTP)', () => {
  let pg: FaultPostgres;
  let smtp: TestSmtpServer;
  let server: TestServer;
  let base: string;

  beforeAll(async () => {
    pg = await FaultPostgres.start();
    smtp = new TestSmtpServer();
    await smtp.start();
    server = await startFaultServer(pg.urlOf(), { SMTP_URL: smtp.url }, 'database-faults.log');
    base = server.baseUrl;
  }, HANG_GUARD);

  afterAll(async () => {
    await server?.close();
    await smtp?.stop();
    await pg?.close();
  }, HANG_GUARD);

  const log = (): string[] => readFileSync(server.logFile, 'utf8').split('\n').filter((line) => line !== '');
  const logLines = (pattern: RegExp): string[] => log().filter((line) => pattern.test(line));

  /** Every face, on a route that needs the database, answers 503 + Retry-After in its own format. */
  async function expectEveryFaceUnavailable(): Promise<void> {
    const halo = await call(`${base}/apis/api.console.halo.run/v1alpha1/users/-`, { headers: UNKNOWN_PAT });
    expect(halo.status).toBe(503);
    expect(halo.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(halo.body)).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(Number(halo.retryAfter)).toBeGreaterThanOrEqual(1);

    const zitadel = await call(`${base}/v2/users/1/email/resend`, { method: 'POST', headers: { ...UNKNOWN_PAT, 'content-type': 'application/json' }, body: '{}' });
    expect(zitadel.status).toBe(503);
    expect(JSON.parse(zitadel.body)).toMatchObject({ code: 14 }); // gRPC UNAVAILABLE
    expect(Number(zitadel.retryAfter)).toBeGreaterThanOrEqual(1);

    const authentik = await call(`${base}/api/v3/core/users/1/`, { headers: UNKNOWN_PAT });
    expect(authentik.status).toBe(503);
    expect(Object.keys(JSON.parse(authentik.body))).toEqual(['detail']);
    expect(Number(authentik.retryAfter)).toBeGreaterThanOrEqual(1);

    const fresns = await sendCode(base, 'during-outage@example.test');
    expect(fresns.status).toBe(503);
    expect(JSON.parse(fresns.body)).toMatchObject({ code: 503, data: null });
    expect(Number(fresns.retryAfter)).toBeGreaterThanOrEqual(1);

    const anqi = await call(`${base}/api/verify/email`, {
      method: 'POST',
      headers: { ...UNKNOWN_PAT, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'during-outage@example.test' }),
    });
    expect(anqi.status).toBe(503);
    expect(JSON.parse(anqi.body)).toMatchObject({ code: -1 });
    expect(Number(anqi.retryAfter)).toBeGreaterThanOrEqual(1);
  }

  it(
    'stopped for the outage: 503 with Retry-After meanwhile (never 500), readiness DOWN and liveness UP, recovery without a restart, every accepted send mailed once',
    async () => {
      const load = loadLoop(4, (i) => sendCode(base, `stopped-${i}@example.test`));
      await until(async () => smtp.received.length >= 10 || undefined, 'mail flowing before the outage', 60_000);

      await pg.stop();
      const stoppedAt = Date.now();
      const probes: Answer[] = [];
      let faces = false;
      while (Date.now() - stoppedAt < OUTAGE_MS) {
        probes.push(await call(`${base}/actuator/health/readiness`));
        const liveness = await call(`${base}/actuator/health/liveness`);
        expect(liveness.status).toBe(200);
        expect(JSON.parse(liveness.body)).toEqual({ status: 'UP' });
        if (!faces && Date.now() - stoppedAt > 2_000) {
          await expectEveryFaceUnavailable();
          faces = true;
        }
        await sleep(500);
      }
      await pg.restart();
      const restartedAt = Date.now();
      await until(async () => (await call(`${base}/actuator/health/readiness`)).status === 200 || undefined, 'readiness UP again', 60_000);
      // Load keeps running until sends are accepted again, without restarting the server.
      await until(async () => (await sendCode(base, `after-${Date.now()}@example.test`)).status === 200 || undefined, 'sends accepted again', 60_000);
      const answers = await load.stop();

      // While stopped: every answer a 503 with Retry-After, none a 500, none waiting for the database.
      const during = answers.filter((a) => a.startedAt > stoppedAt + 1_000 && a.startedAt + a.ms < restartedAt);
      expect(during.length).toBeGreaterThan(0);
      expect(during.filter((a) => a.status !== 503)).toEqual([]);
      expect(during.filter((a) => !(Number(a.retryAfter) >= 1))).toEqual([]);
      expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
      const downProbes = probes.filter((p) => p.startedAt > stoppedAt + 1_000);
      expect(downProbes.every((p) => p.status === 503 && JSON.parse(p.body).components.db.status === 'DOWN')).toBe(true);
      expect(faces).toBe(true);
      process.stdout.write(
        `[faults] PostgreSQL stopped ${OUTAGE_MS} ms: ${during.length} sends refused with 503, slowest answer ${Math.max(...during.map((a) => a.ms))} ms; readiness slowest ${Math.max(...downProbes.map((p) => p.ms))} ms\n`,
      );

      // Nothing accepted was lost, nothing refused was half-done: one mail per accepted send, no
      // mail and no outbox row for a refused one.
      const acceptedAddresses = answers.filter(accepted).map((a) => `stopped-${a.i}@example.test`);
      const refusedAddresses = answers.filter((a) => a.status === 503).map((a) => `stopped-${a.i}@example.test`);
      await until(async () => acceptedAddresses.every((address) => smtp.mailsTo(address).length >= 1) || undefined, 'every accepted send mailed', 90_000);
      await sleep(1_000); // a duplicate would arrive right behind
      expect(acceptedAddresses.filter((address) => smtp.mailsTo(address).length !== 1)).toEqual([]);
      expect(refusedAddresses.filter((address) => smtp.mailsTo(address).length !== 0)).toEqual([]);
      // A mail sent just before the database went away is marked sent once it is back (not sent again).
      const rows = await until(async () => {
        const all: { recipient: string; status: string }[] = await server.dataSource.query(`SELECT recipient, status FROM outbox_messages WHERE recipient LIKE 'stopped-%'`);
        return all.every((r) => r.status === 'sent') ? all : undefined;
      }, 'every outbox row marked sent', 30_000);
      expect(rows.length).toBe(acceptedAddresses.length);

      // One line when the database went away and one when it came back, not one per request or round.
      // (A query still running when it went away, finishing after, used to close and reopen it.)
      const changes = logLines(/Database (unreachable|reachable again)/).map((line) => String(JSON.parse(line).msg));
      expect(changes).toEqual([expect.stringMatching(/^Database unreachable/), expect.stringMatching(/^Database reachable again/)]);
      expect(logLines(/Outbox paused/).length).toBeLessThanOrEqual(1);
      expect(logLines(/"level":50/).length).toBe(0); // no error lines: an outage is not a bug
    },
    HANG_GUARD,
  );

  it(
    'frozen (SIGSTOP): readiness answers DOWN and every request is answered while it is still frozen; it recovers after SIGCONT',
    async () => {
      expect((await sendCode(base, 'before-freeze@example.test')).status).toBe(200);
      pg.freeze();
      const frozenAt = Date.now();
      let thawedAt = 0;
      try {
        const readiness = call(`${base}/actuator/health/readiness`);
        const sends = Array.from({ length: 20 }, (_, i) => sendCode(base, `frozen-${i}@example.test`));
        const answered = await Promise.all([readiness, ...sends]);
        // Everything came back before the database was thawed: nothing waits for a frozen server.
        expect(Date.now() - frozenAt).toBeLessThan(FREEZE_MS);
        const [ready, ...rest] = answered;
        expect(ready!.status).toBe(503);
        expect(JSON.parse(ready!.body)).toMatchObject({ status: 'DOWN', components: { db: { status: 'DOWN' } } });
        expect(rest.filter((a) => a.status !== 503 || !(Number(a.retryAfter) >= 1))).toEqual([]);
        // Once the breaker is open, answers are immediate.
        const again = await call(`${base}/actuator/health/readiness`);
        expect(again.status).toBe(503);
        process.stdout.write(
          `[faults] PostgreSQL frozen: readiness DOWN in ${ready!.ms} ms, slowest of 20 sends ${Math.max(...rest.map((a) => a.ms))} ms, readiness afterwards ${again.ms} ms\n`,
        );
        await sleep(Math.max(0, FREEZE_MS - (Date.now() - frozenAt)));
      } finally {
        pg.thaw();
        thawedAt = Date.now();
      }
      await until(async () => (await call(`${base}/actuator/health/readiness`)).status === 200 || undefined, 'readiness UP after SIGCONT', 60_000);
      const after = await until(async () => {
        const answer = await sendCode(base, `thawed-${Date.now()}@example.test`);
        return accepted(answer) ? answer : undefined;
      }, 'a send accepted after SIGCONT', 60_000);
      expect(after.status).toBe(200);
      expect(thawedAt).toBeGreaterThan(frozenAt);
      // Refused sends left nothing behind.
      const rows: { n: string | number }[] = await server.dataSource.query(`SELECT COUNT(*) AS n FROM outbox_messages WHERE recipient LIKE 'frozen-%'`);
      expect(Number(rows[0]!.n)).toBe(0);
    },
    HANG_GUARD,
  );

  it(
    'one backend ended by PostgreSQL (pg_terminate_backend) fails the request on it with a 503, not every request: the circuit stays closed',
    async () => {
      const admin = await loginAs(base, 'admin', ADMIN_PASSWORD);
      const me = (await admin.console.user.getCurrentUserDetail()).data.user;
      const outagesBefore = logLines(/Database unreachable/).length;

      // Another session holds the admin's row, so the server's UPDATE waits on a backend we can name.
      const locker = new Client({ connectionString: pg.urlOf() });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`SELECT id FROM users WHERE name = 'admin' FOR UPDATE`);
        const update = failure(admin.console.user.updateCurrentUser({ user: { ...me, spec: { ...me.spec, displayName: 'Never saved' } } }));
        const waiting = await until(
          async () => (await locker.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`)).rows[0]?.pid,
          "the server's UPDATE waiting for the row",
          1_000,
        );
        await locker.query('SELECT pg_terminate_backend($1)', [waiting]);
        const ended = await update;
        expect(ended.status).toBe(503); // that request's connection is gone: try again
        expect(Number(ended.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
        await locker.end();
      }

      // Every other request goes on at once, on the pool's other connections: no outage.
      const list = await admin.http.get('/apis/api.console.halo.run/v1alpha1/users');
      expect(list.status).toBe(200);
      const saved = await admin.console.user.updateCurrentUser({ user: { ...me, spec: { ...me.spec, displayName: 'Saved after' } } });
      expect(saved.data.spec.displayName).toBe('Saved after');
      expect(logLines(/Database unreachable/).length).toBe(outagesBefore);
    },
    HANG_GUARD,
  );
});
