// Jest globalSetup of the integration and e2e projects (one module path, so Jest runs it once per
// run even when both projects are selected): starts ONE embedded PostgreSQL for the whole run.
// Test files get their own databases in it (`createTestDatabase`), named after their worker, so
// files run in parallel without sharing a database. TEST_DATABASES=sqlite skips PostgreSQL.
import { startEmbeddedPostgres } from '../embedded-postgres';
import { testDatabasesWanted } from '../databases';
import { POSTGRES_HANDLE, type GlobalWithPostgres } from './postgres-handle';

export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  if (!testDatabasesWanted().includes('postgres') || process.env.TEST_POSTGRES_URL) {
    return; // not wanted, or the caller brought its own server
  }
  const server = await startEmbeddedPostgres();
  (globalThis as GlobalWithPostgres)[POSTGRES_HANDLE] = server;
  // Workers start after globalSetup and inherit this environment.
  process.env.TEST_POSTGRES_URL = server.url;
}
