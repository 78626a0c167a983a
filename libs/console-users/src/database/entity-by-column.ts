import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { runSql } from './sql';

/** The statement and the columns it reads, prepared once per entity and key column. */
interface Prepared {
  sql: string;
  columns: ColumnMetadata[];
  metadata: EntityMetadata;
}

/**
 * Reads one entity by a unique column with a statement written once and hydrated from the
 * entity's own metadata, instead of a `findOne` that builds, escapes and aliases the same query
 * again on every call. Worth it on paths every request takes (the caller's own user) and on
 * paths that run too rarely for V8 to optimize the query builder (every login); hydration goes
 * through the driver's own `prepareHydratedValue`, so booleans, JSON columns and transformers
 * come out exactly as `findOne` gives them. Columns marked `select: false` (password hashes) are
 * read only when named in `alsoSelect`.
 */
export class EntityByColumn<Entity extends ObjectLiteral> {
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly db: DataSource,
    private readonly target: EntityTarget<Entity>,
    private readonly alsoSelect: readonly (keyof Entity & string)[] = [],
  ) {}

  async findOne(propertyName: keyof Entity & string, value: unknown, manager?: EntityManager): Promise<Entity | null> {
    const { sql, columns, metadata } = this.prepare(propertyName);
    const rows = await runSql<Record<string, unknown>>(manager ?? this.db, sql, { value });
    const row = rows[0];
    if (!row) {
      return null;
    }
    const entity = metadata.create() as Entity;
    for (const column of columns) {
      column.setEntityValue(entity, this.db.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return entity;
  }

  private prepare(propertyName: string): Prepared {
    let prepared = this.prepared.get(propertyName);
    if (!prepared) {
      const metadata = this.db.getMetadata(this.target);
      const key = metadata.findColumnWithPropertyName(propertyName);
      if (!key) {
        throw new Error(`${metadata.name} has no column ${propertyName}`);
      }
      const escape = (name: string) => this.db.driver.escape(name);
      const columns = metadata.columns.filter((column) => column.isSelect || this.alsoSelect.includes(column.propertyName as keyof Entity & string));
      const list = columns.map((column) => escape(column.databaseName)).join(', ');
      prepared = { sql: `SELECT ${list} FROM ${escape(metadata.tablePath)} WHERE ${escape(key.databaseName)} = :value LIMIT 1`, columns, metadata };
      this.prepared.set(propertyName, prepared);
    }
    return prepared;
  }
}
