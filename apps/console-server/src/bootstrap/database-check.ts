import type { DatabaseConfig } from '../config/app-config';
import { BootError } from './boot-error';

/**
 * The boot gives up on an unreachable database after this long; with the process's own start
 * (loading modules takes seconds on a busy machine) the boot fails well within 10 s.
 */
export const DATABASE_BOOT_DEADLINE_MS = 5_000;
const RETRY_PAUSE_MS = 500;

/**
 * SQLSTATEs that no retry can fix: a wrong password or user, a database that does not exist,
 * no permission to connect. Anything else (refused, timed out, starting up) is retried until
 * the deadline, so a database that is still starting next to us is waited for.
 */
const PERMANENT = new Set(['28P01', '28000', '3D000', '42501']);

/**
 * Checks that PostgreSQL answers before the server boots, so an unusable DATABASE_URL stops the
 * boot within {@link DATABASE_BOOT_DEADLINE_MS} with one line naming it and the reason, instead
 * of the ORM's retry loop. SQLite needs no check.
 */
export async function checkDatabaseReachable(database: DatabaseConfig, deadlineMs = DATABASE_BOOT_DEADLINE_MS): Promise<void> {
  if (database.type !== 'postgres') {
    return;
  }
  // Loaded only for PostgreSQL: a server on SQLite never needs pg.
  const { Client } = require('pg') as typeof import('pg');
  // Elapsed time on the monotonic clock: a step of the system time must not stretch or cut the wait.
  const started = performance.now();
  const connectTimeout = database.pool?.connectTimeoutMs ?? 1500;
  let last: unknown;
  for (;;) {
    const left = deadlineMs - (performance.now() - started);
    const timeout = Math.max(100, Math.min(connectTimeout, left));
    const client = new Client({ connectionString: database.url, connectionTimeoutMillis: timeout });
    const attemptStarted = performance.now();
    client.on('error', () => undefined); // reported through connect()'s rejection
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      // pg reports its own connect timeout as a dropped connection: say what happened.
      last = performance.now() - attemptStarted >= timeout ? new Error(`no answer within ${timeout} ms`) : error;
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && PERMANENT.has(code)) {
        break;
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    if (performance.now() - started + RETRY_PAUSE_MS >= deadlineMs) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
  throw new BootError('DATABASE_URL', `cannot use PostgreSQL at ${where(database.url)} (${reason(last)})`);
}

/** host:port/database, never the user or password. */
function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

function reason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message.split('\n')[0]! : 'no answer';
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
