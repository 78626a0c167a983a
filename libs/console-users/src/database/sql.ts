import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a statement written with `:named` parameters on any supported driver; TypeORM turns the
 * names into `?` or `$n`. Used for the atomic statements the query builder cannot express.
 * Returns the rows (of a SELECT or a `RETURNING` clause) on both drivers alike.
 */
export async function runSql<T = Record<string, unknown>>(
  db: DataSource | EntityManager,
  sql: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const manager = db instanceof DataSource ? db.manager : db;
  const [query, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(query, values, true);
    return Array.isArray(result.records) ? (result.records as T[]) : [];
  } finally {
    if (!manager.queryRunner) {
      await runner.release();
    }
  }
}
