import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * "Remember me" logins: such a session lives for its own, longer lifetime and is not ended by
 * the idle timeout, so the flag is stored with the session.
 */
export class SessionRememberMe1763791700000 implements MigrationInterface {
  name = 'SessionRememberMe1763791700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('sessions', new TableColumn({ name: 'remember_me', type: 'boolean', isNullable: false, default: false }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('sessions', 'remember_me');
  }
}
