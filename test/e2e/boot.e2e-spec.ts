import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { loginAs } from '../support/http';
import { SERVER_ENTRY, ServerProcess, spawnServer } from '../support/server-process';

/** Guards against a hung child only; no assertion depends on how long anything takes. */
const HANG_GUARD = { timeout: 120_000 };

const LISTENING = /console-users listening on http:\/\/127\.0\.0\.1:(\d+)/;
const PASSWORD_LINE = /Password \(shown only this once\): (\S+)/;

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('booting node dist/apps/console-server/main.js', () => {
  let workDir: string;

  before(() => {
    assert.ok(existsSync(SERVER_ENTRY), `${SERVER_ENTRY} is built by npm test`);
    workDir = mkdtempSync(join(tmpdir(), 'console-users-boot-'));
  });

  after(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  const refusals: [string, Record<string, string>, string][] = [
    ['a PORT that is not a number', { PORT: 'eighty' }, 'PORT'],
    ['a PORT out of range', { PORT: '70000' }, 'PORT'],
    ['NODE_ENV=production without APP_SECRET', { NODE_ENV: 'production' }, 'APP_SECRET'],
    ['a DATABASE_URL of an unknown kind', { DATABASE_URL: 'mysql://db/console' }, 'DATABASE_URL'],
    ['a malformed TRUST_PROXY', { TRUST_PROXY: 'the-load-balancer' }, 'TRUST_PROXY'],
  ];
  for (const [what, env, variable] of refusals) {
    it(`refuses ${what}: exits non-zero with one line naming ${variable}`, HANG_GUARD, async () => {
      const dataDir = join(workDir, `refused-${variable}`);
      const server = spawnServer({ DATA_DIR: dataDir, ...env }, workDir);
      const { code } = await server.exited;
      assert.notEqual(code, 0);
      assert.equal(server.stdout(), '');
      const printed = lines(server.stderr());
      assert.equal(printed.length, 1, `one line, got:\n${server.stderr()}`);
      assert.match(printed[0]!, new RegExp(`\\b${variable}\\b`));
      assert.equal(existsSync(dataDir), false, 'nothing was created before the configuration was valid');
    });
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

    before(() => {
      dataDir = join(workDir, 'data');
    });

    after(async () => {
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    });

    it('prints the generated admin password once, and that password logs in', HANG_GUARD, async () => {
      server = spawnServer(env(), workDir);
      const [, port] = await server.waitForStdout(LISTENING);
      const match = server.stdout().match(PASSWORD_LINE);
      assert.ok(match, `password printed:\n${server.stdout()}`);
      password = match[1]!;
      assert.ok([...password].length >= 16, 'a strong password');
      assert.equal(server.stdout().split(password).length - 1, 1, 'printed exactly once, and never logged');
      assert.equal(server.stderr().includes(password), false);

      const admin = await loginAs(`http://127.0.0.1:${port}`, 'admin', password);
      const { data } = await admin.console.user.getCurrentUserDetail();
      assert.equal(data.user.metadata.name, 'admin');
      assert.deepEqual(data.roles.map((r) => r.metadata.name), ['super-role']);

      assert.ok(existsSync(join(dataDir, 'console.sqlite')), 'the database lives in DATA_DIR');
      assert.equal(statSync(dataDir).mode & 0o777, 0o700, 'DATA_DIR is private');
      assert.equal(statSync(join(dataDir, 'app-secret')).mode & 0o777, 0o600, 'the generated secret is private');
    });

    it('answers health, and SIGTERM ends it gracefully with exit code 0', HANG_GUARD, async () => {
      const running = server!;
      const [, port] = running.stdout().match(LISTENING)!;
      const health = await axios.get(`http://127.0.0.1:${port}/actuator/health`);
      assert.deepEqual(health.data, { status: 'UP', components: { db: { status: 'UP' } } });

      running.child.kill('SIGTERM');
      const { code, signal } = await running.exited;
      assert.equal(signal, null);
      assert.equal(code, 0);
      assert.match(running.stdout(), /SIGTERM received: shutting down/);
      assert.match(running.stdout(), /Shut down cleanly/);
      await assert.rejects(axios.get(`http://127.0.0.1:${port}/actuator/health`), 'no longer listening');
    });

    it('a second boot on the same data prints no password, and the first one still works', HANG_GUARD, async () => {
      server = spawnServer(env(), workDir);
      const [, port] = await server.waitForStdout(LISTENING);
      // The banner, not any route or class name with "Password" in it (the startup log lists controllers).
      assert.doesNotMatch(server.stdout(), /Password \(shown only this once\)/);
      assert.equal(server.stdout().includes(password), false);
      const admin = await loginAs(`http://127.0.0.1:${port}`, 'admin', password);
      assert.equal((await admin.console.user.getCurrentUserDetail()).data.user.metadata.name, 'admin');

      server.child.kill('SIGINT');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    });
  });
});
