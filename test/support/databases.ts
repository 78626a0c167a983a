import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../apps/console-server/src/config/app-config';

/** The databases every integration and e2e suite runs on. */
export type DatabaseKind = 'sqlite' | 'postgres';

/** The databases asked for with TEST_DATABASES (default: both). */
export function testDatabasesWanted(): string[] {
  return (process.env.TEST_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
}

/** SQLite always; PostgreSQL when Jest's globalSetup started one (`TEST_POSTGRES_URL`). */
export function testDatabases(): DatabaseKind[] {
  const wanted = testDatabasesWanted();
  const kinds: DatabaseKind[] = ['sqlite'];
  if (wanted.includes('postgres') && process.env.TEST_POSTGRES_URL) {
    kinds.push('postgres');
  }
  return kinds.filter((k) => wanted.includes(k));
}

/** A fresh, empty database and the way to throw it away. */
export interface TestDatabase {
  kind: DatabaseKind;
  config: DatabaseConfig;
  /** A directory to use as DATA_DIR for this database's server. */
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty SQLite file or PostgreSQL database for one suite. PostgreSQL databases carry
 * the Jest worker's number (`t_w2_…`): a worker only ever touches its own, so test files run in
 * parallel safely, and each suite still starts from an empty database (some suites hold two at
 * once).
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `console-users-${kind}-`));
  if (kind === 'sqlite') {
    return {
      kind,
      config: { type: 'sqlite', path: join(dataDir, 'console.sqlite') },
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) {
    throw new Error('TEST_POSTGRES_URL is not set; run the tests through `npm test` or `npx jest`');
  }
  const name = `t_w${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    config: { type: 'postgres', url: url.toString() },
    dataDir,
    drop: async () => {
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
