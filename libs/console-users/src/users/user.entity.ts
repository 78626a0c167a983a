import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis, sqlFalse } from '../database/columns';
import type { StringMap } from '../common/json-map';

/**
 * A console user: Halo's `User` extension flattened into one row. `name` is Halo's
 * `metadata.name` (also the login name); `id` is the integer id the authentik and ZITADEL faces use.
 */
@Entity({ name: 'users' })
// Indexes written by the user-listing migration in forms decorators cannot express
// (`(created_at DESC, name ASC) INCLUDE (id)`, a pg_trgm GIN index): known, never synchronized.
@Index('ix_users_created_name', { synchronize: false })
@Index('ix_users_display_name_trgm', { synchronize: false })
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('ux_users_name', { unique: true })
  @Column({ type: 'varchar', length: 63 })
  name!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 255 })
  displayName!: string;

  /** Lower-cased display name, for case-insensitive search. */
  @Index('ix_users_display_name_lower')
  @Column({ name: 'display_name_lower', type: 'varchar', length: 255 })
  displayNameLower!: string;

  /** As given by the client (Halo keeps the case); the lower-cased copy is indexed. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Index('ix_users_email_lower')
  @Column({ name: 'email_lower', type: 'varchar', length: 254, nullable: true })
  emailLower!: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: sqlFalse })
  emailVerified!: boolean;

  /**
   * The lower-cased address while `emailVerified` is true, else null. Its unique index is what
   * guarantees two users never both hold the same verified address.
   */
  @Index('ux_users_verified_email', { unique: true })
  @Column({ name: 'verified_email', type: 'varchar', length: 254, nullable: true })
  verifiedEmail!: string | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  avatar!: string | null;

  /** Free text from Halo clients; E.164 when set through a public code (Fresns register). */
  @Index('ix_users_phone')
  @Column({ type: 'varchar', length: 64, nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
  bio!: string | null;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash?: string | null;

  @Column({ name: 'totp_encrypted_secret', type: 'varchar', length: 512, nullable: true, select: false })
  totpEncryptedSecret?: string | null;

  @Column({ name: 'two_factor_auth_enabled', type: 'boolean', nullable: true })
  twoFactorAuthEnabled!: boolean | null;

  @Index('ix_users_disabled')
  @Column({ type: 'boolean', default: sqlFalse })
  disabled!: boolean;

  @Column({ name: 'registered_at', type: 'bigint', nullable: true, transformer: epochMillis })
  registeredAt!: Date | null;

  @Column({ name: 'login_history_limit', type: 'integer', nullable: true })
  loginHistoryLimit!: number | null;

  /** Preferred locale for mails (`en`, `zh-CN`); null means "from the request". */
  @Column({ type: 'varchar', length: 16, nullable: true })
  language!: string | null;

  @Column({ type: 'simple-json' })
  labels!: StringMap;

  @Column({ type: 'simple-json' })
  annotations!: StringMap;

  /** Halo's `metadata.version`: bumped on every write, the optimistic-lock token. */
  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt!: Date;
}
