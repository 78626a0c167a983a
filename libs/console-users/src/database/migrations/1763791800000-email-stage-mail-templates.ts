import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email stages name our own mail templates: authentik's `email/password_reset.html` is stored as
 * `recovery-link`, the mail that stands in for it (the authentik face translates both ways).
 */
export class EmailStageMailTemplates1763791800000 implements MigrationInterface {
  name = 'EmailStageMailTemplates1763791800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE email_stages SET template = 'recovery-link' WHERE template = 'email/password_reset.html'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE email_stages SET template = 'email/password_reset.html' WHERE template = 'recovery-link'`);
  }
}
