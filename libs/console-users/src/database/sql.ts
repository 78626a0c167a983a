import { DataSource, Driver, EntityManager } from 'typeorm';
import { bindNamedParameters } from './named-parameters';
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
  const binding = parameterBinding(manager.connection.driver);
  const [query, values] = bindNamedParameters(sql, params, binding.createParameter, binding.bindable);
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

/** How a driver writes and binds parameters; one pair per driver, so the bound text can be reused. */
interface ParameterBinding {
  createParameter(key: string, index: number): string;
  bindable(value: unknown): unknown;
}

const bindings = new WeakMap<Driver, ParameterBinding>();

function parameterBinding(driver: Driver): ParameterBinding {
  let binding = bindings.get(driver);
  if (!binding) {
    const sqlite = isSqlite(driver);
    // Every value is bound, numbers included (TypeORM inlines numbers on SQLite, making each call a
    // new statement to prepare).
    binding = { createParameter: (key, index) => driver.createParameter(key, index), bindable: (value) => bindable(value, sqlite) };
    bindings.set(driver, binding);
  }
  return binding;
}
