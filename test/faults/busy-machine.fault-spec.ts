import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, ServerProcess, spawnServer } from '../support/server-process';
import { call } from './support/load';

/** A hang guard, not a timing threshold: without the starvation guard this scenario takes minutes. */
const HANG_GUARD = 150_000;
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const ADMIN_PASSWORD = 'the busy machine admin';
const STARVED = /Password hashing got no CPU for \d+ ms: every core is busy/;

/** Processes of normal priority that keep every core busy: a neighbour that leaves no CPU to spare. */
function busyCores(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

// Password hashing runs in Linux's idle scheduling class so that logins never slow other
// requests; when other processes take every core that class gets next to nothing. The server must
// notice, say so, and hash at its plain low priority instead of leaving people unable to log in.
describe('password hashing on a machine whose cores are all busy (real server process, real CPU load)', () => {
  let workDir: string;
  let server: ServerProcess | undefined;
  let hogs: ChildProcess[] = [];

  beforeAll(() => {
    buildServer();
    workDir = mkdtempSync(join(tmpdir(), 'console-users-busy-'));
  }, HANG_GUARD);

  afterAll(async () => {
    hogs.forEach((hog) => hog.kill('SIGKILL'));
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(workDir, { recursive: true, force: true });
  }, HANG_GUARD);

  it('boots and logs people in, and the log says hashing left the idle class', async () => {
    hogs = busyCores(availableParallelism() + 1);
    server = spawnServer(
      {
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: join(workDir, 'data'),
        PUBLIC_URL: 'http://busy.example.test',
        APP_SECRET: 'busy-machine-secret-busy-machine-0123456',
        ADMIN_PASSWORD,
      },
      workDir,
    );
    const [, port] = await server.waitForStdout(LISTENING); // the boot hashes the admin's password
    const logins = await Promise.all(
      Array.from({ length: 4 }, () =>
        call(`http://127.0.0.1:${port}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        }),
      ),
    );
    expect(logins.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const warnings = server.stdout().split('\n').filter((line) => STARVED.test(line));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, context: 'PasswordHashing' });
    expect(server.stdout()).not.toContain(ADMIN_PASSWORD);
  }, HANG_GUARD);
});
