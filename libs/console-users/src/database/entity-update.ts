import { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { BroadcasterResult } from 'typeorm/subscriber/BroadcasterResult';
import { runSql } from './sql';

/** A statement for one set of changed properties, and the columns it writes in parameter order. */
interface Prepared {
  sql: string;
  columns: ColumnMetadata[];
}

/**
 * Updates one row of an entity by id with a statement written once per set of changed
 * properties from the entity's own metadata, bumping its version column. The query builder's
 * `update().set()` builds, escapes and aliases the same statement on every call: on the paths
 * that change a user on every request (a pending address, a login's timestamps) that was most of
 * the update's cost, ten times the statement itself.
 *
 * Kept from the query builder: values go through the driver's `preparePersistentValue`
 * (transformers, JSON columns, booleans); properties whose value is `undefined` are not written;
 * the DataSource's subscribers are told before and after (beforeUpdate/afterUpdate with the
 * changed values), so caches that listen for writes to this entity still drop what changed.
 */
export class EntityUpdate<Entity extends ObjectLiteral> {
  private readonly statements = new Map<string, Prepared>();

  private entityMetadata?: EntityMetadata;

  constructor(
    private readonly db: DataSource,
    private readonly target: EntityTarget<Entity>,
    /** The integer column raised by one on every update (optimistic locking). */
    private readonly versionProperty: keyof Entity & string,
  ) {}

  /**
   * Writes `changes` to the row `id` (inside `manager`'s transaction when given), only while its
   * version is `expectedVersion` when that is given. True when the row was changed.
   */
  async update(manager: EntityManager | undefined, id: number, changes: Partial<Entity>, expectedVersion?: number): Promise<boolean> {
    const properties = Object.keys(changes).filter((key) => changes[key] !== undefined);
    const { sql, columns } = this.prepare(properties, expectedVersion !== undefined);
    const params: Record<string, unknown> = { id, expectedVersion };
    columns.forEach((column, index) => {
      params[`v${index}`] = this.db.driver.preparePersistentValue(column.getEntityValue(changes), column);
    });
    const metadata = this.metadata();
    // One runner for the statement and the subscribers' events: the caller's, or one of our own.
    const runner = manager?.queryRunner ?? this.db.createQueryRunner();
    try {
      await broadcast((result) => runner.broadcaster.broadcastBeforeUpdateEvent(result, metadata, changes));
      const rows = await runSql(runner.manager, sql, params);
      await broadcast((result) => runner.broadcaster.broadcastAfterUpdateEvent(result, metadata, changes));
      return rows.length === 1;
    } finally {
      if (!manager?.queryRunner) {
        await runner.release();
      }
    }
  }

  private metadata(): EntityMetadata {
    this.entityMetadata ??= this.db.getMetadata(this.target);
    return this.entityMetadata;
  }

  private prepare(properties: string[], checksVersion: boolean): Prepared {
    const key = `${checksVersion ? 'v' : '-'}:${properties.join(',')}`;
    let prepared = this.statements.get(key);
    if (!prepared) {
      const metadata = this.metadata();
      const escape = (name: string) => this.db.driver.escape(name);
      const version = metadata.findColumnWithPropertyName(this.versionProperty);
      const id = metadata.primaryColumns[0];
      if (!version || metadata.primaryColumns.length !== 1 || !id) {
        throw new Error(`EntityUpdate: ${metadata.name} needs one primary key and a ${this.versionProperty} column`);
      }
      const columns = properties.map((property) => {
        const column = metadata.findColumnWithPropertyName(property);
        if (!column || column === version || column === id) {
          throw new Error(`EntityUpdate: ${metadata.name}.${property} cannot be updated`);
        }
        return column;
      });
      const assignments = columns.map((column, index) => `${escape(column.databaseName)} = :v${index}`);
      assignments.push(`${escape(version.databaseName)} = ${escape(version.databaseName)} + 1`);
      const where = `${escape(id.databaseName)} = :id${checksVersion ? ` AND ${escape(version.databaseName)} = :expectedVersion` : ''}`;
      prepared = {
        sql: `UPDATE ${escape(metadata.tablePath)} SET ${assignments.join(', ')} WHERE ${where} RETURNING ${escape(id.databaseName)} AS id`,
        columns,
      };
      this.statements.set(key, prepared);
    }
    return prepared;
  }
}

/** Runs one of the broadcaster's events and waits for the subscribers' promises. */
async function broadcast(send: (result: BroadcasterResult) => void): Promise<void> {
  const result = new BroadcasterResult();
  send(result);
  await result.wait();
}
