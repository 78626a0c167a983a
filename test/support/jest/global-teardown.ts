// Jest globalTeardown: stops the embedded PostgreSQL that globalSetup started (and with it every
// test database in it).
import { POSTGRES_HANDLE, type GlobalWithPostgres } from './postgres-handle';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as GlobalWithPostgres;
  const server = holder[POSTGRES_HANDLE];
  if (!server) {
    return;
  }
  delete holder[POSTGRES_HANDLE];
  delete process.env.TEST_POSTGRES_URL;
  await server.stop();
}
