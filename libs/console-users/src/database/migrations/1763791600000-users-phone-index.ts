import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Public codes look accounts up by phone number (E.164 in `users.phone`). Not unique: Halo lets
 * two users carry the same free-text phone, and lookups treat an ambiguous number as unknown.
 */
export class UsersPhoneIndex1763791600000 implements MigrationInterface {
  name = 'UsersPhoneIndex1763791600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('users', new TableIndex({ name: 'ix_users_phone', columnNames: ['phone'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'ix_users_phone');
  }
}
