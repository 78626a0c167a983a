// `npm run bench:console-ui`: the console UI's initial JS (gzip) and the time from "Log in" to a
// rendered user list with 10 000 users, in Debian's Chromium against the real built server (SQLite).
// Prints a Markdown section for bench/RESULTS.md. Not part of `npm test`.
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import { CONSOLE_USERS_ENTITIES } from '../../libs/console-users/src';
import { seedUsers } from '../list-users/seed-data';

const USERS = Number(process.env.BENCH_UI_USERS ?? 10_000);
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 7);
const ADMIN_PASSWORD = 'bench-admin-password';
const ROOT = join(__dirname, '../../..');
const UI_DIR = join(ROOT, 'dist/libs/console-users/console-ui');
/** What `npm start` runs (the bundled server). */
const SERVER_ENTRY = join(ROOT, 'dist/server/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function boot(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: dataDir,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, ADMIN_PASSWORD, LOG_LEVEL: 'warn', NODE_ENV: 'production', APP_SECRET: 'x'.repeat(48) },
    stdio: 'inherit',
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/actuator/health`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
}

async function stop(child: ChildProcess): Promise<void> {
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  await closed;
}

/** The JS the browser must fetch before the first page shows: the entry script and its modulepreloads. */
function initialJs(): { files: string[]; raw: number; gzip: number } {
  const html = readFileSync(join(UI_DIR, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(join(UI_DIR, file));
    raw += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { files, raw, gzip };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-ui-bench-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  try {
    // First boot: migrations and the admin. Then bulk rows straight into the SQLite file.
    await stop(await boot(dataDir, port));
    const db = new DataSource({ type: 'better-sqlite3', database: join(dataDir, 'console.sqlite'), entities: [...CONSOLE_USERS_ENTITIES] });
    await db.initialize();
    await seedUsers(db, 1, USERS);
    await db.destroy();
    server = await boot(dataDir, port);

    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium-headless-shell',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const timings: { cold: boolean; ms: number; jsGzipLoaded: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A fresh context each run: no cookies, no HTTP cache (cold run = the first, with the server's caches cold too).
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      let jsBytes = 0;
      page.on('response', async (response) => {
        if (response.url().endsWith('.js')) {
          jsBytes += gzipSync(await response.body(), { level: 9 }).length;
        }
      });
      await page.goto('/console/login');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      const started = Date.now();
      await page.getByRole('button', { name: 'Log in' }).click();
      await page
        .locator('li[data-user]')
        .nth(19)
        .waitFor()
        .catch(async (error: unknown) => {
          throw new Error(`the list did not render: ${page.url()}\n${(await page.locator('body').innerText()).slice(0, 2000)}\n${String(error)}`);
        });
      const ms = Date.now() - started;
      const total = await page.getByText(/in total/).first().textContent();
      // The seeded users plus the administrator.
      if (Number(total?.match(/\d+/)?.[0]) !== USERS + 1) {
        throw new Error(`unexpected total: ${total}`);
      }
      timings.push({ cold: run === 0, ms, jsGzipLoaded: jsBytes });
      await context.close();
    }
    await browser.close();
    await stop(server);
    server = undefined;

    const js = initialJs();
    const warm = timings.filter((t) => !t.cold).map((t) => t.ms);
    const lines = [
      `## console UI (${new Date().toISOString().slice(0, 10)})`,
      '',
      '`npm run bench:console-ui` (`bench/console-ui/main.ts`; not part of `npm test`): the built UI served by the',
      `real server (SQLite, production settings) with ${USERS.toLocaleString('en')} seeded users, Debian's Chromium (headless shell) through playwright-core, 1366×768.`,
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end (shared with other work).`,
      '',
      `- Initial JS (the entry script and its modulepreloads in \`index.html\`): ${js.files.length} file(s), ${(js.raw / 1024).toFixed(1)} kB raw, **${(js.gzip / 1024).toFixed(1)} kB gzip** (budget 250 kB). Routes load lazily.`,
      `- JS loaded by the time the user list shows (login page + users route, gzip): ${(timings[0]!.jsGzipLoaded / 1024).toFixed(1)} kB.`,
      `- From the click on "Log in" to 20 rendered rows of ${USERS.toLocaleString('en')} users (login POST, session and permissions, role list, user page): first run (cold) **${timings[0]!.ms} ms**; ${warm.length} further runs, each in a fresh browser context: median **${median(warm)} ms**, max ${Math.max(...warm)} ms (budget 1 000 ms).`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (server) {
      await stop(server);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
