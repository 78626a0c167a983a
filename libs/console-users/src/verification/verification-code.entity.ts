import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/columns';
import type { StringMap } from '../common/json-map';

/**
 * One issued code or link token, bound to (purpose, channel, target, user). Only a keyed hash of
 * the secret is stored. Attempts and consumption are updated by single conditional statements.
 */
@Entity({ name: 'verification_codes' })
@Index('ix_verification_codes_lookup', ['purpose', 'channel', 'target'])
export class VerificationCodeEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  purpose!: string;

  @Column({ type: 'varchar', length: 8 })
  channel!: string;

  /** `code` or `link`. */
  @Column({ type: 'varchar', length: 8 })
  kind!: string;

  /** Normalized address: lower-cased email or E.164 number. */
  @Column({ type: 'varchar', length: 254 })
  target!: string;

  @Index('ix_verification_codes_user_id')
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  /** HMAC-SHA-256 (codes) or SHA-256 (link tokens), hex. */
  @Index('ix_verification_codes_secret_hash')
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, select: false })
  secretHash?: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'max_attempts', type: 'integer' })
  maxAttempts!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: Date;

  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMillis })
  consumedAt!: Date | null;

  /** Set when a newer secret replaced this one, the attempts ran out, or a rule revoked it. */
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt!: Date | null;

  /** Optional link template supplied at issue time (ZITADEL `urlTemplate`). */
  @Column({ name: 'url_template', type: 'varchar', length: 512, nullable: true })
  urlTemplate!: string | null;

  /** Non-secret facts bound to the secret (e.g. the pending address, the acting admin). */
  @Column({ type: 'simple-json' })
  context!: StringMap;
}
