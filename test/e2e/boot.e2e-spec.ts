import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { loginAs } from '../support/http';
import { buildServer, SERVER_ENTRY, ServerProcess, spawnServer, stopServer } from '../support/server-process';

/** Guards against a hung child only; no assertion depends on how long anything takes. */
const HANG_GUARD = { timeout: 120_000 };

const LISTENING = /console-users listening on http:\/\/127\.0\.0\.1:(\d+)/;
const PASSWORD_LINE = /Password \(shown only this once\): (\S+)/;

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('booting node dist/server/main.js (what npm start runs)', () => {
  let workDir: string;

  beforeAll(() => {
    buildServer();
    expect(existsSync(SERVER_ENTRY)).toBe(true);
    workDir = mkdtempSync(join(tmpdir(), 'console-users-boot-'));
  }, HANG_GUARD.timeout); // a fresh clone compiles first

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  const refusals: [string, Record<string, string>, string][] = [
    ['a PORT that is not a number', { PORT: 'eighty' }, 'PORT'],
    ['a PORT out of range', { PORT: '70000' }, 'PORT'],
    ['NODE_ENV=production without APP_SECRET', { NODE_ENV: 'production' }, 'APP_SECRET'],
    ['a DATABASE_URL of an unknown kind', { DATABASE_URL: 'mysql://db/console' }, 'DATABASE_URL'],
    ['a malformed TRUST_PROXY', { TRUST_PROXY: 'the-load-balancer' }, 'TRUST_PROXY'],
    ['an unknown NODE_ENV (a typo of production)', { NODE_ENV: 'prod' }, 'NODE_ENV'],
    // Nothing listens on port 1: refused at once, retried for a few seconds, then one line.
    ['a PostgreSQL DATABASE_URL nobody answers', { DATABASE_URL: 'postgres://console:secret-pw@127.0.0.1:1/console' }, 'DATABASE_URL'],
  ];
  for (const [what, env, variable] of refusals) {
    it(`refuses ${what}: exits non-zero with one line naming ${variable}`, async () => {
      const dataDir = join(workDir, `refused-${variable}`);
      const server = spawnServer({ DATA_DIR: dataDir, ...env }, workDir);
      const { code } = await server.exited;
      expect(code).not.toBe(0);
      expect(server.stdout()).toBe('');
      const printed = lines(server.stderr());
      expect(printed.length).toBe(1);
      expect(printed[0]!).toMatch(new RegExp(`\\b${variable}\\b`));
      const line = JSON.parse(printed[0]!); // a JSON line like every other log line, no stack
      expect(line).toMatchObject({ level: 60, variable });
      expect(printed[0]!).not.toMatch(/secret-pw|\n\s+at /);
      expect(existsSync(dataDir)).toBe(false); // nothing was created before the configuration was valid
    }, HANG_GUARD.timeout);
  }

  describe('on a fresh DATA_DIR', () => {
    let dataDir: string;
    let server: ServerProcess | undefined;
    let password: string;
    const env = (): Record<string, string> => ({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://console.example.test',
    });

    beforeAll(() => {
      dataDir = join(workDir, 'data');
    });

    afterAll(async () => {
      await stopServer(server, 'SIGKILL');
    });

    it('prints the generated admin password once, and that password logs in', async () => {
      server = spawnServer(env(), workDir);
      const [, port] = await server.waitForStdout(LISTENING);
      const match = server.stdout().match(PASSWORD_LINE);
      expect(match).not.toBeNull();
      password = match![1]!;
      // Every line but the password banner is JSON, and Nest's route mapping is not at info level.
      const banner = /^(=+| First administrator created: .*| Password \(shown only this once\): .*)$/;
      for (const line of lines(server.stdout()).filter((l) => !banner.test(l))) {
        expect(() => JSON.parse(line)).not.toThrow();
      }
      expect(server.stdout()).not.toMatch(/Mapped \{/);
      await server.waitForStdout(/SMTP_URL is not set: mails are saved in the dev mailbox/); // logged right after listening
      expect([...password].length >= 16).toBeTruthy(); // a strong password
      expect(server.stdout().split(password).length - 1).toBe(1); // printed exactly once, and never logged
      expect(server.stderr().includes(password)).toBe(false);

      const admin = await loginAs(`http://127.0.0.1:${port}`, 'admin', password);
      const { data } = await admin.console.user.getCurrentUserDetail();
      expect(data.user.metadata.name).toBe('admin');
      expect(data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);

      expect(existsSync(join(dataDir, 'console.sqlite'))).toBeTruthy(); // the database lives in DATA_DIR
      expect(statSync(dataDir).mode & 0o777).toBe(0o700); // DATA_DIR is private
      expect(statSync(join(dataDir, 'app-secret')).mode & 0o777).toBe(0o600); // the generated secret is private
    }, HANG_GUARD.timeout);

    it('answers health, and SIGTERM ends it gracefully with exit code 0', async () => {
      const running = server!;
      const [, port] = running.stdout().match(LISTENING)!;
      const health = await axios.get(`http://127.0.0.1:${port}/actuator/health`);
      expect(health.data).toEqual({ status: 'UP', components: { db: { status: 'UP' } } });

      running.child.kill('SIGTERM');
      const { code, signal } = await running.exited;
      expect(signal).toBe(null);
      expect(code).toBe(0);
      expect(running.stdout()).toMatch(/SIGTERM received: shutting down/);
      expect(running.stdout()).toMatch(/Shut down cleanly/);
      await expect(axios.get(`http://127.0.0.1:${port}/actuator/health`)).rejects.toThrow(); // no longer listening
    }, HANG_GUARD.timeout);

    it('a second boot on the same data prints no password, and the first one still works', async () => {
      server = spawnServer(env(), workDir);
      const [, port] = await server.waitForStdout(LISTENING);
      // The banner, not any route or class name with "Password" in it (the startup log lists controllers).
      expect(server.stdout()).not.toMatch(/Password \(shown only this once\)/);
      expect(server.stdout().includes(password)).toBe(false);
      const admin = await loginAs(`http://127.0.0.1:${port}`, 'admin', password);
      expect((await admin.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('admin');

      server.child.kill('SIGINT');
      expect(await server.exited).toEqual({ code: 0, signal: null });
    }, HANG_GUARD.timeout);
  });
});
