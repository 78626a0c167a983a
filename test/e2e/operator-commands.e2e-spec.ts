import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { loginAs } from '../support/http';
import { buildServer, ServerProcess, spawnServer, stopServer } from '../support/server-process';

/** Guards against a hung child only; no assertion depends on how long anything takes. */
const HANG_GUARD = 120_000;
const RESET_ENTRY = join(__dirname, '../../dist/apps/console-server/admin-reset-password.js');
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+) \(public URL ([^)\s]+)\)/;

/** Runs the reset command as an operator would, in `cwd` (where the server's .env is). */
function resetCommand(cwd: string, args: string[], input?: string) {
  const run = spawnSync(process.execPath, [RESET_ENTRY, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    input: input ?? '',
    encoding: 'utf8',
    timeout: HANG_GUARD,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function loginStatus(baseUrl: string, username: string, password: string): Promise<number> {
  const answer = await axios.post(`${baseUrl}/login`, { username, password }, { validateStatus: () => true, headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  return answer.status;
}

describe('the first hour of an operator: .env and admin:reset-password', () => {
  let workDir: string;
  let server: ServerProcess | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    buildServer();
    workDir = mkdtempSync(join(tmpdir(), 'console-users-operator-'));
    writeFileSync(
      join(workDir, '.env'),
      [
        '# read at boot from the working directory',
        'PORT=0',
        'HOST=127.0.0.1',
        'DATA_DIR=./data-from-dotenv',
        'PUBLIC_URL=http://from-dotenv.example',
        'ADMIN_PASSWORD="first admin password"',
        '',
      ].join('\n'),
    );
    // The environment wins over the file.
    server = spawnServer({ PUBLIC_URL: 'http://from-environment.example' }, workDir);
    const [, port, publicUrl] = await server.waitForStdout(LISTENING);
    baseUrl = `http://127.0.0.1:${port}`;
    expect(publicUrl).toBe('http://from-environment.example');
  }, HANG_GUARD);

  afterAll(async () => {
    await stopServer(server);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('reads .env from the working directory; the environment wins', async () => {
    expect(existsSync(join(workDir, 'data-from-dotenv', 'console.sqlite'))).toBe(true);
    expect(server!.stdout()).toContain(`Read ${join(workDir, '.env')}`);
    expect(await loginStatus(baseUrl, 'admin', 'first admin password')).toBe(200);
  });

  it('resets a lost admin password: prints a new one once, ends the sessions, and the new one logs in', async () => {
    const session = await loginAs(baseUrl, 'admin', 'first admin password');
    expect((await session.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('admin');

    const run = resetCommand(workDir, ['admin']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = /^New password for admin \(shown only this once\): (\S+)$/m.exec(run.stdout);
    expect(printed).not.toBeNull();
    const password = printed![1]!;
    expect([...password].length).toBeGreaterThanOrEqual(16);
    expect(run.stdout).toContain('Every session and personal access token of admin has ended.');

    // The old session is gone. The command is another process, so the running server learns it when
    // its principal cache entry ends (at most 1 s, the documented bound); poll past that bound.
    const whoAmI = async () => (await session.http.get('/apis/api.console.halo.run/v1alpha1/users/-', { validateStatus: () => true })).data.user.metadata.name as string;
    let current = await whoAmI();
    for (let i = 0; i < 30 && current !== 'anonymousUser'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await whoAmI();
    }
    expect(current).toBe('anonymousUser');
    expect(await loginStatus(baseUrl, 'admin', 'first admin password')).toBe(401);
    const fresh = await loginAs(baseUrl, 'admin', password);
    const audit = await fresh.http.get('/apis/api.console.halo.run/v1alpha1/audit-events', { params: { action: 'user.password.set' } });
    expect(audit.data.items[0]).toMatchObject({ target: 'admin', outcome: 'success', details: { via: 'command-line' } });
    expect(JSON.stringify(audit.data)).not.toContain(password);
  });

  it('lifts the login lockout of the account it resets, so the new password works at once', async () => {
    // Wrong guesses until the account is locked for this address (10 failures per 15 min; the
    // tests above left some), after which even the right password is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 12 && statuses.at(-1) !== 429; i++) {
      statuses.push(await loginStatus(baseUrl, 'admin', `a wrong guess ${i}`));
    }
    expect(statuses.at(-1)).toBe(429);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([401]));
    const run = resetCommand(workDir, ['admin', '--password-stdin'], 'after the lockout\n');
    expect(run.code).toBe(0);
    expect(await loginStatus(baseUrl, 'admin', 'after the lockout')).toBe(200);
  });

  it('takes the password from standard input with --password-stdin (and checks the policy)', async () => {
    const run = resetCommand(workDir, ['admin', '--password-stdin'], 'an operator chose this\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Password of admin changed.');
    expect(run.stdout).not.toContain('an operator chose this');
    expect(await loginStatus(baseUrl, 'admin', 'an operator chose this')).toBe(200);

    const short = resetCommand(workDir, ['admin', '--password-stdin'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/between 8 and 128 characters/);
    expect(await loginStatus(baseUrl, 'admin', 'an operator chose this')).toBe(200); // unchanged
  });

  it('names an unknown user clearly, refuses system users, and explains its usage', () => {
    const unknown = resetCommand(workDir, ['no-such-admin']);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'No user is named "no-such-admin".\n' });
    expect(resetCommand(workDir, ['anonymousUser']).stderr).toBe('No user is named "anonymousUser".\n');
    const usage = resetCommand(workDir, []);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toMatch(/^Usage: npm run admin:reset-password -- <username>/);
  });

  it('stops with one line naming the variable when the configuration is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-users-operator-bad-'));
    try {
      writeFileSync(join(dir, '.env'), 'DATABASE_URL=mysql://db/console\n');
      const run = resetCommand(dir, ['admin']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/\bDATABASE_URL\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
