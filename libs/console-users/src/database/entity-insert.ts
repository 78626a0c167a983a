import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { runSql } from './sql';

/** The statement and the columns it writes, in parameter order; prepared once per entity. */
interface Prepared {
  sql: string;
  columns: ColumnMetadata[];
}

/**
 * Inserts one row of an entity with a statement written once from the entity's own metadata,
 * and answers the generated id from `RETURNING` (SQLite and PostgreSQL alike). A repository's
 * `insert()` builds, escapes and aliases the same statement again on every call and then reads
 * back the columns that have database defaults; on the paths that insert on every request (a
 * code and its mail, a session, an audit event) that was most of the statement's cost.
 *
 * Values go through the driver's own `preparePersistentValue`, so transformers (timestamps as
 * epoch milliseconds), JSON columns and booleans are stored exactly as `insert()` stores them.
 * Every column but the generated id must be given: a missing value is a programming error here,
 * not a silent database default. Entity subscribers are not called: use it for entities that
 * have none.
 */
export class EntityInsert<Entity extends ObjectLiteral> {
  private prepared?: Prepared;

  constructor(
    private readonly db: DataSource,
    private readonly target: EntityTarget<Entity>,
  ) {}

  /** Inserts `values` (inside `manager`'s transaction when given) and returns the new id. */
  async insert(values: Omit<Entity, 'id'>, manager?: EntityManager): Promise<number> {
    const { sql, columns } = this.prepare();
    const params: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      const value: unknown = column.getEntityValue(values);
      if (value === undefined) {
        throw new Error(`EntityInsert: no value for ${column.propertyName}`);
      }
      params[`v${index}`] = this.db.driver.preparePersistentValue(value, column);
    });
    const rows = await runSql<{ id: number | string }>(manager ?? this.db, sql, params);
    return Number(rows[0]!.id);
  }

  private prepare(): Prepared {
    if (!this.prepared) {
      const metadata = this.db.getMetadata(this.target);
      const id = metadata.primaryColumns[0];
      if (metadata.primaryColumns.length !== 1 || !id?.isGenerated) {
        throw new Error(`EntityInsert: ${metadata.name} needs one generated primary key`);
      }
      const escape = (name: string) => this.db.driver.escape(name);
      const columns = metadata.columns.filter((column) => !column.isGenerated);
      const names = columns.map((column) => escape(column.databaseName)).join(', ');
      const values = columns.map((_, index) => `:v${index}`).join(', ');
      this.prepared = {
        sql: `INSERT INTO ${escape(metadata.tablePath)} (${names}) VALUES (${values}) RETURNING ${escape(id.databaseName)} AS id`,
        columns,
      };
    }
    return this.prepared;
  }
}
