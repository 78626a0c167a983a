import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, ServerProcess, spawnServer, stopServer } from '../support/server-process';

/** A hang guard, not a timing threshold: the trim comes after two quiet checks of 5 s (10–15 s after the load). */
const HANG_GUARD = 120_000;
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const TRIMMED = /Quiet after a busy spell: heap handed back, (\d+) MB → (\d+) MB/;
const ADMIN_PASSWORD = 'the idle trim admin password';
const ME = '/apis/api.console.halo.run/v1alpha1/users/-';
/** The console's user list, as its page asks for it. */
const LIST = '/apis/api.console.halo.run/v1alpha1/users?page=1&size=20&fieldSelector=name!%3DanonymousUser&fieldSelector=name!%3Dghost&sort=metadata.creationTimestamp,desc';

const residentMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Waits (a hang guard, not a timing threshold) until `condition` holds. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Under load V8 grows its heap and, left to itself, may hold it long after the load is gone
// (measured: 248 MB 30 s after a benchmark). The server must hand it back once it is quiet.
describe('handing memory back once the server is quiet (built server, real V8)', () => {
  let workDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    buildServer();
    workDir = mkdtempSync(join(tmpdir(), 'console-users-trim-'));
  }, HANG_GUARD);

  afterAll(async () => {
    await stopServer(server);
    rmSync(workDir, { recursive: true, force: true });
  }, HANG_GUARD);

  it('after a busy spell, collects the heap it grew, says so in its log, and its resident memory falls', async () => {
    server = spawnServer(
      {
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        DATA_DIR: join(workDir, 'data'),
        PUBLIC_URL: 'http://trim.example.test',
        APP_SECRET: 'idle-trim-secret-idle-trim-secret-0123456',
        ADMIN_PASSWORD,
      },
      workDir,
    );
    const [, port] = await server.waitForStdout(LISTENING);
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const headers = { cookie: login.headers.getSetCookie().find((c) => c.startsWith('SESSION='))!.split(';')[0]!, 'x-requested-with': 'XMLHttpRequest' };

    // The busy spell: 16 callers listing users, in rounds of 2 s until the server's resident
    // memory has grown by 16 MB (one to three rounds here; the heap grows by ≈ 15 MB), at most 10.
    const statuses = new Set<number>();
    const residentIdle = residentMb(server.child.pid!);
    for (let round = 0; round < 10 && residentMb(server.child.pid!) < residentIdle + 16; round++) {
      const end = Date.now() + 2_000;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (Date.now() < end) {
            const res = await fetch(base + LIST, { headers });
            await res.arrayBuffer();
            statuses.add(res.status);
          }
        }),
      );
    }
    expect([...statuses]).toEqual([200]);
    const residentAfterLoad = residentMb(server.child.pid!);
    expect(server.stdout()).not.toMatch(TRIMMED); // not while it was busy

    const [, before, after] = await server.waitForStdout(TRIMMED);
    expect(Number(after)).toBeLessThan(Number(before));
    // V8 unmaps the freed pages from a thread of its own, shortly after.
    await eventually(() => residentMb(server!.child.pid!) < residentAfterLoad - 10);

    const again = await fetch(base + ME, { headers });
    expect(again.status).toBe(200);
    expect(server.stdout().match(new RegExp(TRIMMED.source, 'g'))).toHaveLength(1); // once, not on every quiet check
  }, HANG_GUARD);
});
