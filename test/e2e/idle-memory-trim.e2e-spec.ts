import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, ServerProcess, spawnServer, stopServer } from '../support/server-process';

/** A hang guard, not a timing threshold: up to three busy spells of 20 s and their quiet spells of 40 s. */
const HANG_GUARD = 240_000;
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const STARTED = /Quiet after a busy spell: handing back memory, heap (\d+) MB/g;
const TRIMMED = /Quiet after a busy spell: heap handed back, (\d+) MB → (\d+) MB/g;
const INTERRUPTED = /Requests arrived while handing back memory: stopped at (\d+) MB → (\d+) MB, the rest in the next quiet spell/g;
const BOOT_HEAP = /Heap (\d+) MB after boot/;
const ADMIN_PASSWORD = 'the idle trim admin password';
const ME = '/apis/api.console.halo.run/v1alpha1/users/-';
/** The console's user list, as its page asks for it. */
const LIST = '/apis/api.console.halo.run/v1alpha1/users?page=1&size=20&fieldSelector=name!%3DanonymousUser&fieldSelector=name!%3Dghost&sort=metadata.creationTimestamp,desc';
/** The server trims once its heap grew by 8 MB; a spell grows it by half as much again, so the trim has something to find. */
const TRIM_GROWTH_MB = 8;
const SPELL_GROWTH_MB = 12;
/**
 * How long a quiet spell may take to bring the trim (two quiet checks of 5 s: 10–15 s, more on
 * a loaded machine). A hang guard with a diagnosis, not a timing threshold.
 */
const QUIET_WAIT_MS = 40_000;
const CALLERS = 16;

const residentMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A built server with the trim on (its default), logged in as the admin. */
interface TrimmedServer {
  server: ServerProcess;
  pid: number;
  base: string;
  headers: Record<string, string>;
  bootHeap: number;
  /** What happened, for a failure's message. */
  story: string[];
  /** The heap V8 holds (`nodejs_heap_size_total_bytes`), in MB; read only while busy or after a wait, never during a quiet spell. */
  heapMb(): Promise<number>;
  /** Every match of a global `pattern` in its log so far. */
  logged(pattern: RegExp): RegExpMatchArray[];
  /**
   * GET `path` as the admin, on connections kept open across quiet spells (the server keeps them
   * 72 s; fetch's own pool drops them after 4 s), so callers coming back reach it at once.
   */
  ask(path: string): Promise<number>;
}

async function startServer(workDir: string): Promise<TrimmedServer> {
  mkdirSync(workDir, { recursive: true });
  const server = spawnServer(
    {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      METRICS_ENABLED: 'true',
      DATA_DIR: join(workDir, 'data'),
      PUBLIC_URL: 'http://trim.example.test',
      APP_SECRET: 'idle-trim-secret-idle-trim-secret-0123456',
      ADMIN_PASSWORD,
    },
    workDir,
  );
  const pid = server.child.pid!;
  const [, port] = await server.waitForStdout(LISTENING);
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const headers = { cookie: login.headers.getSetCookie().find((c) => c.startsWith('SESSION='))!.split(';')[0]!, 'x-requested-with': 'XMLHttpRequest' };
  const [, bootHeap] = (await server.waitForStdout(BOOT_HEAP)).map(Number);
  const agent = new Agent({ keepAlive: true, maxSockets: CALLERS });
  void server.exited.then(() => agent.destroy());
  return {
    server,
    pid,
    base,
    headers,
    bootHeap: bootHeap!,
    story: [`heap ${bootHeap} MB after boot, resident ${residentMb(pid).toFixed(0)} MB`],
    heapMb: async () => {
      const scrape = await fetch(`${base}/actuator/prometheus`, { headers });
      expect(scrape.status).toBe(200);
      return Number(/^nodejs_heap_size_total_bytes (\S+)$/m.exec(await scrape.text())![1]) / 1_048_576;
    },
    logged: (pattern) => [...server.stdout().matchAll(pattern)],
    ask: (path) =>
      new Promise((resolve, reject) => {
        get(base + path, { agent, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
          res.on('error', reject);
        }).on('error', reject);
      }),
  };
}

/** Callers asking `path` over and over until `until()` holds; every answer's status is kept. */
async function callersUntil(t: TrimmedServer, path: string, until: () => boolean, statuses: Set<number>): Promise<void> {
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (!until()) {
        statuses.add(await t.ask(path));
      }
    }),
  );
}

/** A busy spell: callers listing users in rounds of 2 s until the heap has grown by {@link SPELL_GROWTH_MB} (at most 10 rounds). */
async function busySpell(t: TrimmedServer, spell: number): Promise<void> {
  const statuses = new Set<number>();
  const trimsBefore = t.logged(STARTED).length;
  let heap = await t.heapMb();
  for (let round = 0; round < 10 && heap < t.bootHeap + SPELL_GROWTH_MB; round++) {
    const end = Date.now() + 2_000;
    await callersUntil(t, LIST, () => Date.now() >= end, statuses);
    heap = await t.heapMb();
  }
  expect([...statuses]).toEqual([200]);
  expect(t.logged(STARTED)).toHaveLength(trimsBefore); // not while it was busy
  t.story.push(`spell ${spell}: heap ${heap.toFixed(0)} MB, resident ${residentMb(t.pid).toFixed(0)} MB at its end`);
}

/**
 * After a quiet wait without a trim: fails when the trim was due (the heap still this far above
 * boot, and growth is measured from the lowest heap seen, never above the boot figure); else V8's
 * own reducer was quicker, and the caller tries another spell.
 */
async function noTrimExplained(t: TrimmedServer): Promise<void> {
  const heap = await t.heapMb();
  t.story.push(`no trim ${QUIET_WAIT_MS / 1000} s later: heap ${heap.toFixed(0)} MB, resident ${residentMb(t.pid).toFixed(0)} MB`);
  if (heap >= t.bootHeap + TRIM_GROWTH_MB) {
    throw new Error(`the quiet server did not trim its grown heap:\n${t.story.join('\n')}\n${memoryLines(t.server.stdout())}`);
  }
}

/** The server's log lines about memory, for a failure's message. */
function memoryLines(stdout: string): string {
  return stdout.split('\n').filter((line) => line.includes('"Memory"')).join('\n');
}

// Under load V8 grows its heap and, left to itself, may hold it long after the load is gone
// (measured: 248 MB 30 s after a benchmark). The server must hand it back once it is quiet, and
// get out of the way when requests come back. The trim looks at the heap V8 holds when the quiet
// spell is over; V8's own memory reducer sometimes hands the growth back first, and then there is
// rightly nothing to trim. So each test has a busy spell, a quiet one, and a second pair only when
// V8 was quicker (never when the trim should have come and did not).
describe('handing memory back once the server is quiet (built server, real V8)', () => {
  let workDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    buildServer();
    workDir = mkdtempSync(join(tmpdir(), 'console-users-trim-'));
  }, HANG_GUARD);

  afterEach(async () => {
    await stopServer(server);
    server = undefined;
  }, HANG_GUARD);

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('after a busy spell, collects the heap it grew, says so in its log, and its resident memory falls', async () => {
    const t = await startServer(join(workDir, 'quiet'));
    server = t.server;
    let trim: RegExpMatchArray | undefined;
    let residentBeforeTrim = 0;
    for (let spell = 1; spell <= 2 && !trim; spell++) {
      await busySpell(t, spell);
      // The quiet spell: only /proc is read. The trim's collections take a few hundred
      // milliseconds before its log line, so "before" is the largest size of the last 2 s.
      const readings: { at: number; mb: number }[] = [];
      const quietUntil = Date.now() + QUIET_WAIT_MS;
      while (t.logged(TRIMMED).length === 0 && Date.now() < quietUntil) {
        readings.push({ at: Date.now(), mb: residentMb(t.pid) });
        await sleep(100);
      }
      residentBeforeTrim = Math.max(...readings.filter((r) => r.at >= Date.now() - 2_000).map((r) => r.mb));
      trim = t.logged(TRIMMED)[0];
      if (!trim) {
        await noTrimExplained(t);
      }
    }
    if (!trim) {
      throw new Error(`V8 handed back every spell's growth itself, twice; nothing left to see the trim on:\n${t.story.join('\n')}`);
    }

    const [, before, after] = trim.map(Number);
    expect(after).toBeLessThan(before!);
    // V8 unmaps the freed pages from a thread of its own, shortly after.
    const unmappedBy = Date.now() + QUIET_WAIT_MS;
    while (residentMb(t.pid) > residentBeforeTrim - 8 && Date.now() < unmappedBy) {
      await sleep(200);
    }
    t.story.push(`trim: heap ${before} → ${after} MB; resident ${residentBeforeTrim.toFixed(0)} MB before, ${residentMb(t.pid).toFixed(0)} MB after`);
    expect({ fellBy8MB: residentMb(t.pid) <= residentBeforeTrim - 8, story: t.story }).toEqual({ fellBy8MB: true, story: t.story });

    expect(await t.ask(ME)).toBe(200);
    expect(t.logged(TRIMMED)).toHaveLength(1); // once, not on every quiet check
    expect(t.logged(INTERRUPTED)).toHaveLength(0);
  }, HANG_GUARD);

  it('stops handing memory back when requests arrive in the middle of it, and answers them', async () => {
    const t = await startServer(join(workDir, 'interrupted'));
    server = t.server;
    const statuses = new Set<number>();
    let interrupted: RegExpMatchArray | undefined;
    // The callers come back once the trim's first line is out; a trim takes 100–300 ms, and on a
    // loaded machine they may arrive only after it ended. That round proves nothing either way,
    // so another spell follows (at most three).
    for (let spell = 1; spell <= 3 && !interrupted; spell++) {
      await busySpell(t, spell);
      const startedBefore = t.logged(STARTED).length;
      const quietUntil = Date.now() + QUIET_WAIT_MS;
      while (t.logged(STARTED).length === startedBefore && Date.now() < quietUntil) {
        await sleep(5);
      }
      const started = t.logged(STARTED)[startedBefore];
      if (!started) {
        await noTrimExplained(t);
        continue;
      }
      const endsBefore = t.logged(INTERRUPTED).length + t.logged(TRIMMED).length;
      const ended = () => t.logged(INTERRUPTED).length + t.logged(TRIMMED).length > endsBefore;
      const giveUpAt = Date.now() + QUIET_WAIT_MS;
      await callersUntil(t, ME, () => ended() || Date.now() >= giveUpAt, statuses);
      interrupted = t.logged(INTERRUPTED).find((m) => m.index! > started.index!);
      const completed = t.logged(TRIMMED).find((m) => m.index! > started.index!);
      if (completed) {
        // It went on to the end: fine only if none of the callers' requests came in meanwhile
        // (the request log and the trim's lines share one ordered output).
        const servedDuring = t.server.stdout().slice(started.index!, completed.index!).split(`"url":"${ME}"`).length - 1;
        t.story.push(`spell ${spell}: the trim ran to its end (${completed[0]}) with ${servedDuring} of the callers' requests served during it`);
        expect({ servedDuring, story: t.story }).toEqual({ servedDuring: 0, story: t.story });
      } else {
        t.story.push(`spell ${spell}: ${interrupted?.[0] ?? 'the trim did not end within the wait'}`);
      }
    }
    expect([...statuses]).toEqual([200]);
    expect({ interrupted: interrupted?.[0], story: t.story }).toEqual({ interrupted: expect.stringContaining('Requests arrived'), story: t.story });
  }, HANG_GUARD);
});
