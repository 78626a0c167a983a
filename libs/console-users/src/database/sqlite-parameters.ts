import type { DataSource, Driver } from 'typeorm';

type Escaper = (sql: string, parameters: Record<string, unknown>) => [string, unknown[]];

/** Whether the DataSource talks to SQLite (either TypeORM SQLite driver). */
export function isSqlite(driver: Driver): boolean {
  const type = driver.options.type;
  return type === 'better-sqlite3' || (type as string) === 'sqlite';
}

/**
 * The value to bind for a parameter. SQLite binds a JS number as REAL; a safe integer goes as a
 * BigInt so it binds as INTEGER, exactly what the literal TypeORM would have inlined means.
 */
export function bindable(value: unknown, sqlite: boolean): unknown {
  if (!sqlite) {
    return value;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return BigInt(value);
  }
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/**
 * TypeORM's SQLite drivers write number parameters into the SQL text (`WHERE id = 41`), so every
 * user id, timestamp and counter makes a new statement: better-sqlite3 prepares it again and the
 * driver's 100-entry statement cache keeps evicting the hot ones. Measured on the send-code path
 * this was the largest single cost. Call once on a SQLite DataSource before `initialize()`; it
 * binds numbers as parameters instead and leaves every other case to TypeORM. No-op elsewhere.
 */
export function bindSqliteNumbersAsParameters(dataSource: DataSource): DataSource {
  const driver = dataSource.driver as Driver & { escapeQueryWithParameters: Escaper };
  if (!isSqlite(driver)) {
    return dataSource;
  }
  const original = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql, parameters) => {
    if (!parameters || !Object.values(parameters).some((v) => typeof v === 'number')) {
      return original(sql, parameters);
    }
    // Hide numbers from TypeORM behind one-off functions that emit a placeholder we fill afterwards.
    const numbers: unknown[] = [];
    const marked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parameters)) {
      marked[key] =
        typeof value === 'number'
          ? () => {
              numbers.push(bindable(value, true));
              return `\u0000${numbers.length - 1}\u0000`;
            }
          : value;
    }
    const [escaped, values] = original(sql, marked);
    // TypeORM's SQLite placeholder is a bare `?`, so the bound values follow text order.
    const bound: unknown[] = [];
    let next = 0;
    const text = escaped.replace(/\?|\u0000(\d+)\u0000/g, (match, index: string | undefined) => {
      bound.push(index === undefined ? values[next++] : numbers[Number(index)]);
      return '?';
    });
    return [text, bound];
  };
  return dataSource;
}
