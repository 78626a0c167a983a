import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '../database/columns';

/**
 * An authentik-style email stage: how a recovery mail looks (template, subject, sender) and how
 * long its link lives by default. Mail always goes through the server's one SMTP transport.
 */
@Entity({ name: 'email_stages' })
export class EmailStageEntity {
  /** UUID, authentik's `pk` / `stage_uuid`. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('ux_email_stages_name', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  name!: string;

  /** One-line subject for every locale; null means the template's own localized subject. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  subject!: string | null;

  /** The name of a mail template (`recovery-link` by default). */
  @Column({ type: 'varchar', length: 100 })
  template!: string;

  /** Sender; null means the server's MAIL_FROM. */
  @Column({ name: 'from_address', type: 'varchar', length: 320, nullable: true })
  fromAddress!: string | null;

  /** Default link lifetime in authentik's `unit=value;…` form. */
  @Column({ name: 'token_expiry', type: 'varchar', length: 64 })
  tokenExpiry!: string;

  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt!: Date;
}
