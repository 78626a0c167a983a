import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis, sqlFalse } from '../database/columns';

/**
 * A login session. Only the SHA-256 of the cookie value is stored, so a database leak yields no
 * usable session; rows survive restarts and are shared by every instance.
 */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('ux_sessions_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('ix_sessions_user_id')
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'bigint', transformer: epochMillis })
  lastSeenAt!: Date;

  /** Absolute end of the session, whatever the activity. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: Date;

  /** A "remember me" login: no idle timeout, a persistent cookie, its own (longer) lifetime. */
  @Column({ name: 'remember_me', type: 'boolean', default: sqlFalse })
  rememberMe!: boolean;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;
}
