import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * authentik-style email stages (what a recovery mail looks like and how long its link lives),
 * and a per-message sender on the outbox so a stage's `from_address` reaches the mail.
 */
export class EmailStages1763791500000 implements MigrationInterface {
  name = 'EmailStages1763791500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'email_stages',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'subject', type: 'varchar', length: '255', isNullable: true },
          { name: 'template', type: 'varchar', length: '100' },
          { name: 'from_address', type: 'varchar', length: '320', isNullable: true },
          { name: 'token_expiry', type: 'varchar', length: '64' },
          { name: 'version', type: 'integer', default: 0 },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'ux_email_stages_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.addColumn('outbox_messages', new TableColumn({ name: 'sender', type: 'varchar', length: '320', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outbox_messages', 'sender');
    await queryRunner.dropTable('email_stages');
  }
}
