import { Client } from 'pg';
import { CircuitBreaker } from '../../apps/console-server/src/database/circuit-breaker';
import { guardedPg } from '../../apps/console-server/src/database/guarded-pg';
import { isDependencyOutage } from '../../libs/console-users/src';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';

const describePostgres = testDatabases().includes('postgres') ? describe : describe.skip;

/** Resolves on the next tick after `emitter` emits `event`. */
const once = (emitter: { once(event: string, fn: () => void): unknown }, event: string): Promise<void> =>
  new Promise((resolve) => emitter.once(event, () => setImmediate(resolve)));

describePostgres('the server\'s pg driver when PostgreSQL ends a connection nobody is listening on', () => {
  let db: TestDatabase;
  let admin: Client;
  const changes: string[] = [];
  const breaker = new CircuitBreaker('database', 100, 1_000, {
    opened: (reason) => changes.push(`opened ${reason}`),
    closed: () => changes.push('closed'),
  });
  const pg = guardedPg(breaker);

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    admin = new Client({ connectionString: (db.config as { url: string }).url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  it('a checked-out client whose owner has not attached its error listener yet: no crash, the next query fails as an outage, the pool drops it, the circuit stays closed', async () => {
    const pool = new pg.Pool({ connectionString: (db.config as { url: string }).url, max: 2 });
    try {
      // The pool hands the client out without its own listener; this owner attaches none,
      // as TypeORM has not yet in the microtasks after a checkout.
      const client = await new Promise<import('pg').PoolClient>((resolve, reject) =>
        pool.connect((error, c) => (error ? reject(error) : resolve(c!))),
      );
      const pid = ((await client.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
      const ended = once(client, 'end');
      // A DBA's pg_terminate_backend sends the same FATAL 57P01 as a server shutdown.
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Without a listener, pg's 'error' throws inside the socket's handler and 'end' never comes.
      await Promise.race([
        ended,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the client never ended: its error event found no listener')), 5_000)),
      ]);

      const failure = await client.query('SELECT 1').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(isDependencyOutage(failure)).toBe(true);
      client.release();
      expect(pool.totalCount).toBe(0); // not put back for the next request

      // Only that backend was ended (57P01): the request on it fails, but the circuit stays
      // closed and the pool carries on at once with a fresh connection.
      expect(breaker.isOpen).toBe(false);
      expect(changes).toEqual([]);
      const fresh = await pool.query('SELECT 1 AS one');
      expect(fresh.rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
