import type { EmbeddedPostgresServer } from '../embedded-postgres';

/** Where globalSetup leaves the server for globalTeardown (both run in Jest's main process). */
export const POSTGRES_HANDLE = Symbol.for('console-users.test-postgres');

export type GlobalWithPostgres = typeof globalThis & { [POSTGRES_HANDLE]?: EmbeddedPostgresServer };
