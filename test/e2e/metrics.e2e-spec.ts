import axios from 'axios';
import { Agent } from 'node:http';
import { createPat } from '../support/accounts';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { freePort } from '../support/free-port';
import { loginAs } from '../support/http';
import { PublicApi, RawAnswer } from '../support/public-api';
import { seedUser } from '../support/seed';
import { TestSmtpServer } from '../support/smtp';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';
import { until } from '../support/wait';

const METRICS = '/actuator/prometheus';
const SEND_RESET = '/apis/api.halo.run/v1alpha1/users/-/send-password-reset-email';
const resetPath = (name: string) => `/apis/api.halo.run/v1alpha1/users/${name}/reset-password`;

/** One sample of the exposition text: `name{labels} value`; 0 when the series is absent (a counter not yet hit). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(match[3]);
    }
  }
  return 0;
}

function assertProblem(answer: RawAnswer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.body).not.toMatch(/http_server_requests|console_users_/);
}

for (const kind of testDatabases()) {
  describe(`Prometheus metrics on ${kind}`, () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
    });
    afterAll(async () => {
      await db?.drop();
    });

    describe('off by default', () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startTestServer(db);
      });
      afterAll(async () => {
        await server?.close();
      });

      it('answers 404 to everybody, the super admin included', async () => {
        const api = new PublicApi(server.baseUrl);
        assertProblem(await api.get(METRICS), 404);
        const admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
        const cookie = [...admin.http.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        assertProblem(await api.with({ Cookie: cookie, 'X-Requested-With': 'XMLHttpRequest' }).get(METRICS), 404);
      });
    });

    describe('METRICS_ENABLED=true: behind role-template-view-metrics on the main port', () => {
      let server: TestServer;
      let smtp: TestSmtpServer;
      let scraper: PublicApi;

      const scrape = async () => {
        const answer = await scraper.get(METRICS);
        expect(answer.status).toBe(200);
        return answer.body;
      };

      beforeAll(async () => {
        smtp = new TestSmtpServer();
        await smtp.start();
        server = await startTestServer(db, {
          env: { METRICS_ENABLED: 'true', SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1' },
          overrides: { outbox: { pollIntervalMs: 50, backoffBaseMs: 1_000 } },
        });
        await seedUser(server.dataSource, { name: 'no-metrics', password: 'password of no-metrics', roles: [] });
        await seedUser(server.dataSource, { name: 'scraper', password: 'password of scraper', roles: ['role-template-view-metrics'] });
        await seedUser(server.dataSource, { name: 'metric-ann', password: 'password of metric-ann', email: 'metric-ann@example.test', emailVerified: true });
        // A least-privilege scrape token: a PAT holding only role-template-view-metrics.
        const token = await createPat(await loginAs(server.baseUrl, 'scraper', 'password of scraper'), ['role-template-view-metrics']);
        scraper = new PublicApi(server.baseUrl, { headers: { Authorization: `Bearer ${token}` } });
      });
      afterAll(async () => {
        await server?.close();
        await smtp?.stop();
      });

      it('401 without credentials, 403 without the permission', async () => {
        assertProblem(await new PublicApi(server.baseUrl).get(METRICS, { 'X-Requested-With': 'XMLHttpRequest' }), 401);
        const token = await createPat(await loginAs(server.baseUrl, 'no-metrics', 'password of no-metrics'));
        assertProblem(await new PublicApi(server.baseUrl, { headers: { Authorization: `Bearer ${token}` } }).get(METRICS), 403);
      });

      it('200 in the Prometheus text format with the process metrics', async () => {
        const answer = await scraper.get(METRICS);
        expect(answer.status).toBe(200);
        expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(answer.headers['cache-control']).toBe('no-store');
        expect(sample(answer.body, 'process_resident_memory_bytes')).toBeGreaterThan(0);
        expect(sample(answer.body, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
        expect(answer.body).toContain('# TYPE http_server_requests_seconds histogram');
      });

      it('counts requests by method, route pattern, status and face, never the raw path', async () => {
        const labels = { method: 'GET', uri: '/apis/api.console.halo.run/v1alpha1/users/:name', status: '200', face: 'halo' };
        const before = sample(await scrape(), 'http_server_requests_seconds_count', labels);
        const admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
        await admin.http.get('/apis/api.console.halo.run/v1alpha1/users/metric-ann');
        await admin.http.get('/apis/api.console.halo.run/v1alpha1/users/no-metrics');
        const after = await scrape();
        expect(sample(after, 'http_server_requests_seconds_count', labels)).toBe(before + 2);
        expect(sample(after, 'http_server_requests_seconds_bucket', { ...labels, le: '+Inf' })).toBe(before + 2);
        expect(after).not.toContain('metric-ann');
        await axios.get(`${server.baseUrl}/no/such/route-for-metrics`, { validateStatus: () => true });
        const unmatched = await scrape();
        expect(sample(unmatched, 'http_server_requests_seconds_count', { uri: 'UNMATCHED', status: '404' })).toBeGreaterThanOrEqual(1);
        expect(unmatched).not.toContain('route-for-metrics');
      });

      it('counts login failures by reason and the per-account limit that refuses them', async () => {
        const before = await scrape();
        const login = (password: string) =>
          axios.post(`${server.baseUrl}/login`, { username: 'metric-ann', password }, { validateStatus: () => true, headers: { 'X-Forwarded-For': '10.61.0.1' } });
        for (let i = 0; i < 10; i += 1) {
          expect((await login('wrong password')).status).toBe(401);
        }
        expect((await login('wrong password')).status).toBe(429);
        const after = await scrape();
        expect(sample(after, 'console_users_login_failures_total', { reason: 'bad-credentials' })).toBe(
          sample(before, 'console_users_login_failures_total', { reason: 'bad-credentials' }) + 10,
        );
        expect(sample(after, 'console_users_login_failures_total', { reason: 'rate-limited' })).toBe(
          sample(before, 'console_users_login_failures_total', { reason: 'rate-limited' }) + 1,
        );
        expect(sample(after, 'console_users_rate_limit_refusals_total', { limit: 'login-per-account' })).toBe(
          sample(before, 'console_users_rate_limit_refusals_total', { limit: 'login-per-account' }) + 1,
        );
      });

      it('counts issued and suppressed links, checks, deliveries by channel, and per-IP refusals', async () => {
        const before = await scrape();
        const api = new PublicApi(server.baseUrl, { ip: '10.62.0.1' });
        const issued = { purpose: 'reset-password', channel: 'email', kind: 'link' };
        expect((await api.post(SEND_RESET, { username: 'metric-ann', email: 'metric-ann@example.test' })).status).toBe(204);
        expect((await api.post(SEND_RESET, { username: 'nobody', email: 'nobody@example.test' })).status).toBe(204);
        await smtp.waitFor((m) => m.to === 'metric-ann@example.test');
        // The worker counts the delivery once its row is committed `sent`.
        const delivered = await until(async () => {
          const text = await scrape();
          return sample(text, 'console_users_outbox_deliveries_total', { channel: 'email', result: 'sent' }) >
            sample(before, 'console_users_outbox_deliveries_total', { channel: 'email', result: 'sent' })
            ? text
            : undefined;
        }, 'the sent delivery in the metrics');
        expect(sample(delivered, 'console_users_outbox_deliveries_total', { channel: 'email', result: 'sent' })).toBe(
          sample(before, 'console_users_outbox_deliveries_total', { channel: 'email', result: 'sent' }) + 1,
        );
        expect(sample(delivered, 'console_users_codes_issued_total', { ...issued, outcome: 'issued' })).toBe(
          sample(before, 'console_users_codes_issued_total', { ...issued, outcome: 'issued' }) + 1,
        );
        expect(sample(delivered, 'console_users_codes_issued_total', { ...issued, outcome: 'suppressed' })).toBe(
          sample(before, 'console_users_codes_issued_total', { ...issued, outcome: 'suppressed' }) + 1,
        );
        expect(sample(delivered, 'console_users_outbox_pending', { channel: 'email' })).toBe(0);

        // A second send to the same address within the cooldown is refused by the per-recipient limit.
        expect((await api.post(SEND_RESET, { username: 'metric-ann', email: 'metric-ann@example.test' })).status).toBe(429);
        const bad = await api.put(resetPath('metric-ann'), { newPassword: 'a good new password', token: 'x'.repeat(43) });
        expect(bad.status).toBe(403);
        const afterChecks = await scrape();
        expect(sample(afterChecks, 'console_users_rate_limit_refusals_total', { limit: 'recipient-cooldown' })).toBe(
          sample(before, 'console_users_rate_limit_refusals_total', { limit: 'recipient-cooldown' }) + 1,
        );
        expect(sample(afterChecks, 'console_users_code_verifications_total', { purpose: 'reset-password', outcome: 'invalid' })).toBe(
          sample(before, 'console_users_code_verifications_total', { purpose: 'reset-password', outcome: 'invalid' }) + 1,
        );

        // Per-IP: the send group allows 10 a minute from one address.
        const flood = new PublicApi(server.baseUrl, { ip: '10.63.0.1' });
        const statuses: number[] = [];
        for (let i = 0; i < 11; i += 1) {
          statuses.push((await flood.post(SEND_RESET, { username: `flood-${i}`, email: `flood-${i}@example.test` })).status);
        }
        expect(statuses.filter((s) => s === 429)).toHaveLength(1);
        const afterFlood = await scrape();
        expect(sample(afterFlood, 'console_users_rate_limit_refusals_total', { limit: 'ip-send-per-minute' })).toBe(
          sample(before, 'console_users_rate_limit_refusals_total', { limit: 'ip-send-per-minute' }) + 1,
        );
        expect(sample(afterFlood, 'http_server_requests_seconds_count', { method: 'POST', uri: SEND_RESET, status: '429', face: 'halo' })).toBe(
          sample(afterChecks, 'http_server_requests_seconds_count', { method: 'POST', uri: SEND_RESET, status: '429', face: 'halo' }) + 1,
        );
      });

      it('counts a delivery retried after a transient SMTP error, then failed for good after a permanent one', async () => {
        await seedUser(server.dataSource, { name: 'metric-bea', password: 'password of metric-bea', email: 'metric-bea@example.test', emailVerified: true });
        const count = (text: string, result: string) => sample(text, 'console_users_outbox_deliveries_total', { channel: 'email', result });
        const before = await scrape();
        try {
          smtp.rejectWith = 451; // "try again later"
          const api = new PublicApi(server.baseUrl, { ip: '10.65.0.1' });
          expect((await api.post(SEND_RESET, { username: 'metric-bea', email: 'metric-bea@example.test' })).status).toBe(204);
          await until(async () => count(await scrape(), 'retried') === count(before, 'retried') + 1, 'the retried delivery in the metrics');
          smtp.rejectWith = 550; // "no such mailbox": the next attempt fails for good
          server.clock.advance(5_000); // past the backoff (1 s in this suite)
          await until(async () => count(await scrape(), 'failed') === count(before, 'failed') + 1, 'the failed delivery in the metrics');
          const after = await scrape();
          expect(count(after, 'sent')).toBe(count(before, 'sent'));
          expect(sample(after, 'console_users_outbox_pending', { channel: 'email' })).toBe(0);
        } finally {
          smtp.rejectWith = undefined;
        }
      });

      it(kind === 'postgres' ? 'reports the PostgreSQL pool' : 'reports no pool on SQLite', async () => {
        const text = await scrape();
        if (kind === 'postgres') {
          expect(sample(text, 'console_users_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
          expect(text).toMatch(/^console_users_db_pool_connections\{state="idle"\} \d+$/m);
        } else {
          expect(text).not.toMatch(/^console_users_db_pool_connections\{/m);
        }
      });
    });

    describe('METRICS_PORT: a listener of its own, without authentication', () => {
      let server: TestServer;
      let port: number;
      const scrape = async () => {
        const answer = await axios.get<string>(`http://127.0.0.1:${port}${METRICS}`, { responseType: 'text', transformResponse: (d) => d });
        expect(answer.status).toBe(200);
        expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        return answer.data;
      };

      beforeAll(async () => {
        port = await freePort();
        // The worker is off: mail stays queued, so the queue gauges have something to show.
        server = await startTestServer(db, { env: { METRICS_PORT: String(port) }, overrides: { outbox: { enabled: false } } });
        await seedUser(server.dataSource, { name: 'queued-bob', password: 'password of queued-bob', email: 'queued-bob@example.test', emailVerified: true });
      });
      afterAll(async () => {
        await server?.close();
      });

      it('serves metrics there, while the main port keeps answering 404', async () => {
        // The start time, not CPU seconds: prom-client counts CPU from its own creation, which can
        // still read 0 on a fast first scrape (the kernel accounts CPU in 10 ms ticks).
        expect(sample(await scrape(), 'process_start_time_seconds')).toBeGreaterThan(0);
        assertProblem(await new PublicApi(server.baseUrl).get(METRICS), 404);
        expect((await axios.get(`http://127.0.0.1:${port}/anything-else`, { validateStatus: () => true })).status).toBe(404);
        expect((await axios.post(`http://127.0.0.1:${port}${METRICS}`, '', { validateStatus: () => true })).status).toBe(405);
      });

      it('shows the outbox queue depth and the age of its oldest message', async () => {
        expect(sample(await scrape(), 'console_users_outbox_pending', { channel: 'email' })).toBe(0);
        const api = new PublicApi(server.baseUrl, { ip: '10.64.0.1' });
        expect((await api.post(SEND_RESET, { username: 'queued-bob', email: 'queued-bob@example.test' })).status).toBe(204);
        server.clock.advance(90_000);
        const text = await scrape();
        expect(sample(text, 'console_users_outbox_pending', { channel: 'email' })).toBe(1);
        expect(sample(text, 'console_users_outbox_oldest_pending_age_seconds', { channel: 'email' })).toBe(90);
      });

      it('stops listening when the server closes', async () => {
        const other = await freePort();
        const temporary = await startTestServer(db, { env: { METRICS_PORT: String(other) }, overrides: { outbox: { enabled: false } } });
        expect((await axios.get(`http://127.0.0.1:${other}${METRICS}`)).status).toBe(200);
        await temporary.close();
        // A new connection (not a kept-alive one, which would only see a reset).
        const fresh = { httpAgent: new Agent({ keepAlive: false }) };
        await expect(axios.get(`http://127.0.0.1:${other}${METRICS}`, fresh)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      });
    });
  });
}
