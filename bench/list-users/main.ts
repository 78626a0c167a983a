// `npm run bench:list-users`: ListUsers latency at 10 000 and 1 000 000 users on SQLite and
// PostgreSQL, against a bare Fastify server measured in the same run; writes bench/RESULTS.md.
import 'reflect-metadata';
import autocannon from 'autocannon';
import axios from 'axios';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../test/support/embedded-postgres';
import { startBuiltServer } from '../support/built-server';
import { residentMb, SETTLED_AFTER_MS } from '../support/process-memory';
import { environment, recordResults } from '../support/results';
import { TargetVerdict, verdictWord } from '../support/targets';
import { BENCH_ROLE, benchUser } from './seed-data';

const SMALL = 10_000;
/** The large size: 1 000 000, the size the targets are stated for (seeding takes a few minutes); `BENCH_LIST_USERS=100000` for a quick run. */
const LARGE = Number(process.env.BENCH_LIST_USERS ?? 1_000_000);
const PAGE_SIZE = 20;
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const MEASURE_SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1);
const ADMIN_PASSWORD = 'bench-admin-password';
const USERS_PATH = '/apis/api.console.halo.run/v1alpha1/users';
/** The console's own filter, sent with every list it shows. */
const UI_FILTER = 'fieldSelector=name!%3DanonymousUser&fieldSelector=name!%3Dghost';
/** A search for one person: matches the display names "… Clark 4240" to "… Clark 4249" (10 users). */
const KEYWORD = 'clark 424';
/** A broad search: every "… Lopez …" (2 520 of 100 000 users). */
const BROAD_KEYWORD = 'lopez';

/** Latency figures of one scenario, in milliseconds. */
interface Measurement {
  p50: number;
  p99: number;
  mean: number;
  requestsPerSecond: number;
  samples: number;
}

interface Row {
  scenario: string;
  path: string;
  users: number;
  matches?: number;
  result: Measurement;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Runs autocannon against `url` and computes percentiles from its per-response timings (sub-ms). */
async function measure(url: string, headers: Record<string, string>, seconds: number): Promise<Measurement> {
  const samples: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, connections: CONNECTIONS, duration: seconds }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode === 200) {
        samples.push(responseTime);
      } else {
        errors++;
      }
    });
  });
  if (errors > 0 || result.errors > 0 || samples.length === 0) {
    throw new Error(`${url}: ${errors} non-200 answers, ${result.errors} errors`);
  }
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((s, v) => s + v, 0) / samples.length,
    requestsPerSecond: samples.length / seconds,
    samples: samples.length,
  };
}

async function scenario(base: string, path: string, headers: Record<string, string>): Promise<Measurement> {
  await measure(`${base}${path}`, headers, WARMUP_SECONDS);
  return measure(`${base}${path}`, headers, MEASURE_SECONDS);
}

/** Forks a benchmark child and waits for the port it listens on; its stdout goes to `stdoutFile` when given (the server's log). */
function spawnChild(script: string, env: NodeJS.ProcessEnv, stdoutFile?: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const stdout = stdoutFile ? openSync(stdoutFile, 'a') : 'inherit';
    const child = fork(join(__dirname, script), [], { env, stdio: ['ignore', stdout, 'inherit', 'ipc'] });
    if (typeof stdout === 'number') {
      closeSync(stdout);
    }
    child.once('message', (message: { port?: number }) => resolve({ child, port: message.port! }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Seeds users `from`..`to` from a child process of its own (see seed.ts). */
function seed(env: NodeJS.ProcessEnv, from: number, to: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'seed.js'), [String(from), String(to)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding ${from}..${to} exited with ${code}`))));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ stop: true });
  await exited;
}

async function sessionCookie(base: string): Promise<string> {
  const res = await axios.post(`${base}/login`, { username: 'admin', password: ADMIN_PASSWORD });
  const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('SESSION='));
  if (!cookie) {
    throw new Error('login gave no session cookie');
  }
  return cookie.split(';')[0]!;
}

/** What one database's run measured: the scenarios and the server's RSS once they were done, right away and idle. */
interface DatabaseRun {
  rows: Row[];
  /** The server's resident memory the moment the last scenario at the large size ended. */
  rssAfterMb: number;
  /** The same, once the server has been quiet for {@link SETTLED_AFTER_MS}: what target 5 judges. */
  idleRssAfterMb: number;
}

/** The size the issue states the list targets for. */
const TARGET_USERS = 1_000_000;
/** The page the deep-page target names: page 1 000 of 20 users. */
const TARGET_PAGE = 1_000;

async function benchDatabase(kind: 'sqlite' | 'postgres', postgresUrl: string | undefined): Promise<DatabaseRun> {
  const dataDir = mkdtempSync(join(tmpdir(), `console-users-bench-${kind}-`));
  let databaseUrl = `sqlite:${join(dataDir, 'console.sqlite')}`;
  let dropDatabase = async () => undefined;
  if (kind === 'postgres') {
    const name = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const serverEnv = {
    ...process.env,
    NODE_ENV: 'production',
    APP_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ADMIN_PASSWORD,
    PUBLIC_URL: 'http://console.example.test',
    LOG_LEVEL: 'info',
  };
  // The server as `npm start` runs it (the bundle), so its memory is the product's.
  const server = await startBuiltServer(serverEnv, join(dataDir, 'server.log'));
  const base = `http://127.0.0.1:${server.port}`;
  const rows: Row[] = [];
  try {
    const headers = { Cookie: await sessionCookie(base), 'X-Requested-With': 'XMLHttpRequest' };
    const firstPage = `${USERS_PATH}?page=1&size=${PAGE_SIZE}&${UI_FILTER}&sort=metadata.creationTimestamp,desc`;

    log(`${kind}: seeding ${SMALL} users`);
    await seed(serverEnv, 1, SMALL);
    rows.push({ scenario: 'first page', path: firstPage, users: SMALL, result: await scenario(base, firstPage, headers) });

    log(`${kind}: seeding up to ${LARGE} users`);
    const seedStarted = Date.now();
    await seed(serverEnv, SMALL + 1, LARGE);
    log(`${kind}: seeded ${LARGE - SMALL} users in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`);
    const total = (await axios.get(`${base}${firstPage}`, { headers })).data.total as number;
    const pages = Math.ceil(total / PAGE_SIZE);
    const middle = `${USERS_PATH}?page=${Math.ceil(pages / 2)}&size=${PAGE_SIZE}&${UI_FILTER}`;
    const last = `${USERS_PATH}?page=${pages}&size=${PAGE_SIZE}&${UI_FILTER}`;
    const keyword = `${USERS_PATH}?page=1&size=${PAGE_SIZE}&${UI_FILTER}&keyword=${encodeURIComponent(KEYWORD)}`;
    const broad = `${USERS_PATH}?page=1&size=${PAGE_SIZE}&${UI_FILTER}&keyword=${encodeURIComponent(BROAD_KEYWORD)}`;
    const role = `${USERS_PATH}?page=1&size=${PAGE_SIZE}&${UI_FILTER}&role=${BENCH_ROLE}`;
    const page1000 = `${USERS_PATH}?page=${TARGET_PAGE}&size=${PAGE_SIZE}&${UI_FILTER}`;
    const count = async (path: string) => (await axios.get(`${base}${path}`, { headers })).data.total as number;

    log(`${kind}: measuring at ${total} users`);
    rows.push({ scenario: 'first page', path: firstPage, users: LARGE, result: await scenario(base, firstPage, headers) });
    rows.push({ scenario: `deep page (middle, ${Math.ceil(pages / 2)} of ${pages})`, path: middle, users: LARGE, result: await scenario(base, middle, headers) });
    rows.push({ scenario: `deep page (last, ${pages} of ${pages})`, path: last, users: LARGE, result: await scenario(base, last, headers) });
    rows.push({ scenario: `page ${TARGET_PAGE.toLocaleString('en-US')}`, path: page1000, users: LARGE, result: await scenario(base, page1000, headers) });
    rows.push({ scenario: `keyword "${KEYWORD}"`, path: keyword, users: LARGE, matches: await count(keyword), result: await scenario(base, keyword, headers) });
    rows.push({ scenario: `keyword "${BROAD_KEYWORD}" (broad)`, path: broad, users: LARGE, matches: await count(broad), result: await scenario(base, broad, headers) });
    rows.push({ scenario: `role filter "${BENCH_ROLE}"`, path: role, users: LARGE, matches: await count(role), result: await scenario(base, role, headers) });
    rows.push({ scenario: 'deep page (middle) right after a user is created', path: middle, users: LARGE, result: await afterWrites(base, middle, headers) });
    const rssAfterMb = residentMb(server.child.pid!);
    // The target is the idle footprint after the benchmark: read again once the server has been
    // quiet as long as the idle reading after boot waits.
    log(`${kind}: server RSS ${rssAfterMb.toFixed(0)} MB right after the scenarios; waiting ${SETTLED_AFTER_MS / 1000} s for the idle figure`);
    await new Promise((resolve) => setTimeout(resolve, SETTLED_AFTER_MS));
    return { rows, rssAfterMb, idleRssAfterMb: residentMb(server.child.pid!) };
  } finally {
    await server.stop();
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The cost of a deep page when its anchors are stale: each round creates a user through the API,
 * then times one request for the page (the first one after a write rebuilds the anchors).
 */
async function afterWrites(base: string, path: string, headers: Record<string, string>): Promise<Measurement> {
  const rounds = 30;
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    const name = `bench-writer-${i}-${randomBytes(3).toString('hex')}`;
    await axios.post(`${base}${USERS_PATH}`, { name, email: `${name}@example.com`, roles: [] }, { headers });
    const t = process.hrtime.bigint();
    await axios.get(`${base}${path}`, { headers });
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((sum, v) => sum + v, 0) / samples.length,
    requestsPerSecond: rounds / seconds,
    samples: rounds,
  };
}

async function bareFastify(body: string): Promise<Measurement> {
  const { child, port } = await spawnChild('bare-server.js', { ...process.env, BENCH_BODY: body });
  try {
    return await scenario(`http://127.0.0.1:${port}`, USERS_PATH, {});
  } finally {
    await stopChild(child);
  }
}

/** The first-page answer, to give the bare server the same number of bytes to send. */
async function sampleBody(): Promise<string> {
  const items = Array.from({ length: PAGE_SIZE }, (_, k) => {
    const { name, displayName, email } = benchUser(LARGE - k);
    return {
      user: {
        apiVersion: 'v1alpha1',
        kind: 'User',
        metadata: { name, annotations: {}, version: 0, creationTimestamp: new Date().toISOString(), finalizers: ['user-protection'] },
        spec: { displayName, email, emailVerified: false, registeredAt: new Date().toISOString(), disabled: false },
        status: { permalink: `http://console.example.test/authors/${name}` },
      },
      roles: [],
    };
  });
  return JSON.stringify({ page: 1, size: PAGE_SIZE, total: LARGE, items, first: true, last: false, hasNext: true, hasPrevious: false, totalPages: LARGE / PAGE_SIZE });
}

function log(message: string): void {
  process.stdout.write(`[bench:list-users] ${message}\n`);
}

const f = (ms: number) => ms.toFixed(2);

/**
 * Targets 2 and 5 (memory after the list) for one database. They are stated for 1 000 000 users:
 * a smaller run is reported but never counts as met.
 */
function listVerdicts(kind: string, run: DatabaseRun): TargetVerdict[] {
  const rows = run.rows;
  const small = rows.find((r) => r.scenario === 'first page' && r.users === SMALL)!.result;
  const first = rows.find((r) => r.scenario === 'first page' && r.users === LARGE)!.result;
  const page = rows.find((r) => r.scenario === `page ${TARGET_PAGE.toLocaleString('en-US')}`)!.result;
  const filtered = rows.filter((r) => r.scenario.startsWith('keyword') || r.scenario.startsWith('role'));
  const fullSize = LARGE >= TARGET_USERS;
  const at = fullSize ? '' : ` (at ${LARGE.toLocaleString('en-US')} users; stated for ${TARGET_USERS.toLocaleString('en-US')})`;
  const firstLimit = kind === 'postgres' ? 30 : 60;
  return [
    { target: 2, what: `${kind}, first page p99 ≤ ${firstLimit} ms`, figure: `${f(first.p99)} ms${at}`, met: fullSize && first.p99 <= firstLimit },
    {
      target: 2,
      what: `${kind}, keyword and role filters p99 ≤ 100 ms`,
      figure: `${filtered.map((r) => `${r.scenario} ${f(r.result.p99)} ms`).join(', ')}${at}`,
      met: fullSize && filtered.every((r) => r.result.p99 <= 100),
    },
    { target: 2, what: `${kind}, page ${TARGET_PAGE.toLocaleString('en-US')} of ${PAGE_SIZE} p99 ≤ 100 ms`, figure: `${f(page.p99)} ms${at}`, met: fullSize && page.p99 <= 100 },
    {
      // Judged on p50: the p99 of a request of a few milliseconds at one connection is mostly scheduler noise.
      target: 2,
      what: `${kind}, first page from ${SMALL.toLocaleString('en-US')} to ${LARGE.toLocaleString('en-US')} users grows ≤ 1.5× (p50)`,
      figure: `p50 ×${(first.p50 / small.p50).toFixed(2)} (p99 ×${(first.p99 / small.p99).toFixed(2)})${at}`,
      met: fullSize && first.p50 <= 1.5 * small.p50,
    },
    {
      target: 5,
      what: `${kind}, idle server RSS after the list benchmark ≤ 200 MB (${SETTLED_AFTER_MS / 1000} s after it)`,
      figure: `${run.idleRssAfterMb.toFixed(0)} MB (right after it: ${run.rssAfterMb.toFixed(0)} MB)${at}`,
      met: fullSize && run.idleRssAfterMb <= 200,
    },
  ];
}

function report(results: Record<string, DatabaseRun>, bare: Measurement, startedAt: Date, seconds: number, loadBefore: number[]): string {
  const lines: string[] = [];
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' / ');
  lines.push('## ListUsers (`bench/list-users`)', '');
  lines.push(
    `Run ${startedAt.toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; took ${Math.round(seconds)} s.`,
    `Load average (1/5/15 min) before: ${load(loadBefore)}, after: ${load(loadavg())} — other processes on the machine add noise, mostly to p99.`,
    `Real server (Fastify, session cookie, RBAC guard, request logging to a file), one process; autocannon with ${CONNECTIONS} connection,`,
    `${WARMUP_SECONDS} s warm-up then ${MEASURE_SECONDS} s per scenario; percentiles from every response's own timing. Page size ${PAGE_SIZE}, with the`,
    "console's filter `name!=anonymousUser`, `name!=ghost`. Seeded users: 10 % hold `editor`, 60 % `guest`; 2 % are disabled.",
    'After seeding, `VACUUM ANALYZE` (PostgreSQL) / `ANALYZE` (SQLite), as autovacuum would.',
    '',
    `Bare Fastify baseline (same machine, same run, a fixed body of ${PAGE_SIZE} users): p50 ${f(bare.p50)} ms, p99 ${f(bare.p99)} ms, ${Math.round(bare.requestsPerSecond)} req/s.`,
    '',
  );
  for (const [kind, run] of Object.entries(results)) {
    const rows = run.rows;
    lines.push(`### ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, '');
    lines.push('| scenario | users | matches | p50 ms | p99 ms | mean ms | req/s | p50 ÷ bare | p99 ÷ bare |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of rows) {
      const r = row.result;
      lines.push(
        `| ${row.scenario} | ${row.users.toLocaleString('en-US')} | ${row.matches?.toLocaleString('en-US') ?? ''} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.mean)} | ${Math.round(r.requestsPerSecond)} | ${(r.p50 / bare.p50).toFixed(1)}× | ${(r.p99 / bare.p99).toFixed(1)}× |`,
      );
    }
    lines.push('', `Targets at ${LARGE.toLocaleString('en-US')} users (server RSS right after the scenarios: ${run.rssAfterMb.toFixed(0)} MB, ${SETTLED_AFTER_MS / 1000} s later: ${run.idleRssAfterMb.toFixed(0)} MB):`, '');
    for (const v of listVerdicts(kind, run)) {
      lines.push(`- ${v.what}: ${v.figure}, ${verdictWord(v.met)}`);
    }
    lines.push('');
  }
  lines.push(
    'How: the total of the console\'s list is a trigger-kept counter (minus the excluded names), so the',
    'first page costs the same at any size; its deep pages seek from anchors (the order key of every',
    '1000th row) cached per instance and checked against a trigger-kept change counter, and otherwise',
    'walk at most half the matches from the nearer end; keyword search uses a pg_trgm GIN index',
    '(PostgreSQL) or an FTS5 trigram table (SQLite) for the display name; the role filter counts from',
    'the bindings index. "Deep page right after a user is created" shows the page while its anchors',
    'are stale: it walks without them (at most half the list) and the anchors are rebuilt off the',
    'request path, at most once per 10 s; 30 rounds of create-then-read timed from the client (req/s',
    'counts the whole round). Not one of the targets; shown because writes make anchors stale.',
    '',
  );
  return lines.join('\n');
}

/** Runs the whole benchmark and records it. */
export async function runListUsersBenchmark(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  const databases = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  const postgres = databases.includes('postgres') ? await startEmbeddedPostgres('console-users-bench-pg-') : undefined;
  const results: Record<string, DatabaseRun> = {};
  try {
    log('measuring the bare Fastify baseline');
    const bare = await bareFastify(await sampleBody());
    for (const kind of databases as ('sqlite' | 'postgres')[]) {
      results[kind] = await benchDatabase(kind, postgres?.url);
    }
    const section = report(results, bare, startedAt, (Date.now() - startedAt.getTime()) / 1000, loadBefore);
    process.stdout.write(`\n${section}\n`);
    const targets = Object.entries(results).flatMap(([kind, run]) => listVerdicts(kind, run));
    recordResults('list-users', section, { environment: environment(), bareFastify: bare, users: LARGE, databases: results, targets });
    log('written to bench/RESULTS.md and bench/results.json');
  } finally {
    await postgres?.stop();
  }
}

if (require.main === module) {
  runListUsersBenchmark().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
