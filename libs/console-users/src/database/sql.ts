import { DataSource, EntityManager } from 'typeorm';
import { bindable, isSqlite } from './sqlite-parameters';

/**
 * Runs a statement written with `:named` parameters on any supported driver (`?` or `$n`
 * placeholders). Used for the atomic statements the query builder cannot express.
 * Returns the rows (of a SELECT or a `RETURNING` clause) on both drivers alike.
 */
export async function runSql<T = Record<string, unknown>>(
  db: DataSource | EntityManager,
  sql: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const manager = db instanceof DataSource ? db.manager : db;
  const driver = manager.connection.driver;
  const sqlite = isSqlite(driver);
  // Every value is bound, numbers included (TypeORM inlines numbers on SQLite, making each call a
  // new statement to prepare); `:...name` expands an array.
  const values: unknown[] = [];
  const bind = (key: string, value: unknown) => {
    values.push(bindable(value, sqlite));
    return driver.createParameter(key, values.length - 1);
  };
  const query = sql.replace(/:(\.\.\.)?([A-Za-z_][A-Za-z0-9_]*)/g, (full, spread: string | undefined, key: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, key)) {
      return full;
    }
    const value = params[key];
    return spread ? (value as unknown[]).map((v) => bind(key, v)).join(', ') : bind(key, value);
  });
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
