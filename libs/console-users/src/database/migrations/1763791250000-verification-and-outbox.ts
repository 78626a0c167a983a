import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Verification codes/link tokens and the delivery outbox. */
export class VerificationAndOutbox1763791250000 implements MigrationInterface {
  name = 'VerificationAndOutbox1763791250000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    await queryRunner.createTable(
      new Table({
        name: 'verification_codes',
        columns: [
          id,
          { name: 'purpose', type: 'varchar', length: '32' },
          { name: 'channel', type: 'varchar', length: '8' },
          { name: 'kind', type: 'varchar', length: '8' },
          { name: 'target', type: 'varchar', length: '254' },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'secret_hash', type: 'varchar', length: '64' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'max_attempts', type: 'integer' },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'consumed_at', type: 'bigint', isNullable: true },
          { name: 'revoked_at', type: 'bigint', isNullable: true },
          { name: 'url_template', type: 'varchar', length: '512', isNullable: true },
          { name: 'context', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'ix_verification_codes_lookup', columnNames: ['purpose', 'channel', 'target'] }),
          new TableIndex({ name: 'ix_verification_codes_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_verification_codes_secret_hash', columnNames: ['secret_hash'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          id,
          { name: 'channel', type: 'varchar', length: '8' },
          { name: 'recipient', type: 'varchar', length: '254' },
          { name: 'template', type: 'varchar', length: '64' },
          { name: 'locale', type: 'varchar', length: '16' },
          { name: 'payload_encrypted', type: 'text', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'max_attempts', type: 'integer' },
          { name: 'next_attempt_at', type: 'bigint' },
          { name: 'lease_until', type: 'bigint', isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'message_id', type: 'varchar', length: '255' },
          { name: 'verification_code_id', type: 'integer', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
          { name: 'sent_at', type: 'bigint', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_outbox_due', columnNames: ['status', 'next_attempt_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_messages');
    await queryRunner.dropTable('verification_codes');
  }
}
