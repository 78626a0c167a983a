import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../apps/console-server/src/config/app-config';

/** The databases every integration and e2e suite runs on. */
export type DatabaseKind = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL when the runner started one (`TEST_POSTGRES_URL`). */
export function testDatabases(): DatabaseKind[] {
  const wanted = (process.env.TEST_DATABASES ?? 'sqlite,postgres').split(',');
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

/** Creates an empty SQLite file or PostgreSQL database for one suite. */
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
    throw new Error('TEST_POSTGRES_URL is not set; run the tests through `npm test`');
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
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
