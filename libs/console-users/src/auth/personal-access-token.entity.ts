import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis, sqlFalse } from '../database/columns';

/**
 * A Halo personal access token. The token itself is shown once at creation; only its SHA-256
 * is kept. `roles` is a subset of the owner's roles at creation time.
 */
@Entity({ name: 'personal_access_tokens' })
export class PersonalAccessTokenEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** Halo's `metadata.name`. */
  @Index('ux_pats_name', { unique: true })
  @Column({ type: 'varchar', length: 253 })
  name!: string;

  @Index('ix_pats_user_id')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @Column({ type: 'varchar', length: 63 })
  username!: string;

  /** Halo's `spec.name`: the label the owner gave the token. */
  @Column({ name: 'display_name', type: 'varchar', length: 255 })
  displayName!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'simple-json' })
  roles!: string[];

  @Column({ type: 'simple-json' })
  scopes!: string[];

  @Index('ux_pats_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64, select: false })
  tokenHash?: string;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMillis })
  expiresAt!: Date | null;

  @Column({ type: 'boolean', default: sqlFalse })
  revoked!: boolean;

  @Column({ name: 'revokes_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokesAt!: Date | null;

  @Column({ name: 'last_used', type: 'bigint', nullable: true, transformer: epochMillis })
  lastUsed!: Date | null;

  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;
}
