import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a statement written with `:named` parameters on any supported driver; TypeORM turns the
 * names into `?` or `$n`. Used for the atomic statements the query builder cannot express.
 */
export async function runSql<T = Record<string, unknown>>(
  db: DataSource | EntityManager,
  sql: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const driver = 'driver' in db ? db.driver : (db as EntityManager).connection.driver;
  const [query, values] = driver.escapeQueryWithParameters(sql, params);
  const result: unknown = await db.query(query, values);
  return Array.isArray(result) ? (result as T[]) : [];
}
