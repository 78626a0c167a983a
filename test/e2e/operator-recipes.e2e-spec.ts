import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { freePort } from '../support/free-port';
import { buildServer, ServerProcess, spawnServer, stopServer } from '../support/server-process';

/** Guards against a hung child only; no assertion depends on how long anything takes. */
const HANG_GUARD = 180_000;
const ROOT = join(__dirname, '../..');
const RESET_ENTRY = join(ROOT, 'dist/apps/console-server/admin-reset-password.js');

/** The ```sh blocks of README's "Operator recipes" section, in order. */
function recipeBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Operator recipes');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/**
 * README's operator recipes, pasted in order into bash on a fresh install, as the README tells a
 * new user to: only the values a reader fills in (BASE, the printed admin password) and
 * `npm run` (this test runs the built command directly) are replaced.
 */
describe("README's operator recipes on a fresh install", () => {
  let workDir: string;
  let server: ServerProcess | undefined;
  let base: string;
  let adminPassword: string;

  beforeAll(async () => {
    buildServer();
    workDir = mkdtempSync(join(tmpdir(), 'console-users-recipes-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawnServer({ PORT: String(port), HOST: '127.0.0.1' }, workDir);
    await server.waitForStdout(/listening on http:\/\/127\.0\.0\.1:\d+/);
    adminPassword = /Password \(shown only this once\): (\S+)/.exec(server.stdout())![1]!;
  }, HANG_GUARD);

  afterAll(async () => {
    await stopServer(server);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('run in order without an error and do what they say', async () => {
    const blocks = recipeBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const script = blocks
      .map((block, i) =>
        [
          `echo '### block ${i + 1}'`,
          block
            .replace(/^BASE=.*$/m, `BASE=${base}`)
            .replace(/^ADMIN_PASSWORD=.*$/m, `ADMIN_PASSWORD='${adminPassword}'`)
            .replace(/^npm run admin:reset-password -- /m, `node ${RESET_ENTRY} `),
        ].join('\n'),
      )
      .join('\n');
    expect(script).not.toMatch(/\bjq\b/);
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      encoding: 'utf8',
      timeout: HANG_GUARD,
    });
    const output = `${run.stdout}\n--- stderr ---\n${run.stderr}`;
    expect({ code: run.status, output }).toEqual({ code: 0, output: expect.any(String) });

    const out = (n: number) => run.stdout.split(`### block ${n}\n`)[1]!.split('### block')[0]!.trim().split('\n');
    // log in + token
    expect(out(2)[0]).toBe('200');
    expect(out(2)[1]).toMatch(/^pat_[A-Za-z0-9_-]{20,}$/);
    // create alice
    expect(out(3)).toEqual(['200']);
    // her numeric id
    expect(out(4)[0]).toMatch(/^\d+$/);
    // recovery mail: 204 and the link from the .txt
    expect(out(5)[0]).toBe('204');
    expect(out(5)[1]).toMatch(new RegExp(`^http://localhost:\\d+/recovery\\?token=[A-Za-z0-9_-]{40,}$`));
    // ZITADEL: send 200, verify 200, and the console shows the address verified
    expect(out(6)).toEqual(['200', '200', '"emailVerified":true']);
    // alice logs in
    expect(out(7)).toEqual(['200']);
    // deliveries and audit events
    expect(out(8)[0]).toMatch(/"items":\[\{/);
    expect(out(8)[0]).not.toMatch(/token=|verification code/);
    expect(out(8)[1]).toMatch(/"action":"/);
    // the reset printed a new password once; the old session and token are over, the new password works
    const reset = /^New password for admin \(shown only this once\): (\S+)$/m.exec(out(9).join('\n'));
    expect(reset).not.toBeNull();
    const token = out(2)[1]!;
    expect((await axios.get(`${base}/apis/api.console.halo.run/v1alpha1/users/admin`, { headers: { Authorization: `Bearer ${token}` }, validateStatus: () => true })).status).toBe(401);
    const login = await axios.post(`${base}/login`, { username: 'admin', password: reset![1] }, { validateStatus: () => true, headers: { 'X-Requested-With': 'XMLHttpRequest' } });
    expect(login.status).toBe(200);
  }, HANG_GUARD);
});
