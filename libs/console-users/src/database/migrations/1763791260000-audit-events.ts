import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** The append-only audit log. */
export class AuditEvents1763791260000 implements MigrationInterface {
  name = 'AuditEvents1763791260000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'occurred_at', type: 'bigint' },
          { name: 'actor', type: 'varchar', length: '63', isNullable: true },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'target', type: 'varchar', length: '254', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'details', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_events_occurred_at', columnNames: ['occurred_at'] }),
          new TableIndex({ name: 'ix_audit_events_action', columnNames: ['action'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
  }
}
