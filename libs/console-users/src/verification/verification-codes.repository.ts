import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { EntityInsert } from '../database/entity-insert';
import { runSql } from '../database/sql';
import { VerificationCodeEntity } from './verification-code.entity';

/** A stored secret with its hash, for comparison. */
export type CodeWithHash = VerificationCodeEntity & { secretHash: string };

/**
 * Queries on codes and link tokens. Attempts and consumption are single conditional UPDATEs
 * whose affected-row count decides (Kratos' pattern), never read-then-save.
 */
@Injectable()
export class VerificationCodesRepository {
  private readonly codes: Repository<VerificationCodeEntity>;
  private readonly inserter: EntityInsert<VerificationCodeEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.codes = db.getRepository(VerificationCodeEntity);
    this.inserter = new EntityInsert(db, VerificationCodeEntity);
  }

  async insert(manager: EntityManager, row: Omit<VerificationCodeEntity, 'id'>): Promise<number> {
    return this.inserter.insert(row, manager);
  }

  /**
   * Revokes every live secret for (purpose, channel, target, user): a new one replaces them.
   * `userId` null means secrets bound to no user, so one user's request never kills another's.
   */
  async revokeLive(
    manager: EntityManager,
    purpose: string,
    channel: string,
    target: string,
    userId: number | null,
    now: Date,
  ): Promise<void> {
    await runSql(
      manager,
      `UPDATE verification_codes SET revoked_at = :now
        WHERE purpose = :purpose AND channel = :channel AND target = :target AND consumed_at IS NULL AND revoked_at IS NULL
          AND ${userId === null ? 'user_id IS NULL' : 'user_id = :userId'}`,
      { purpose, channel, target, userId, now: now.getTime() },
    );
  }

  /** Revokes a user's live secrets for some purposes (password changed, user disabled, …). */
  async revokeForUser(manager: EntityManager | undefined, userId: number, purposes: string[], now: Date): Promise<number> {
    if (purposes.length === 0) {
      return 0;
    }
    const result = await (manager ?? this.db.manager)
      .createQueryBuilder()
      .update(VerificationCodeEntity)
      .set({ revokedAt: now })
      .where('user_id = :userId AND consumed_at IS NULL AND revoked_at IS NULL AND purpose IN (:...purposes)', { userId, purposes })
      .execute();
    return result.affected ?? 0;
  }

  /** The newest secret for (purpose, channel, target[, user]), live or not, with its hash. */
  findLatest(purpose: string, channel: string, target: string, userId?: number | null): Promise<CodeWithHash | null> {
    const query = this.codes
      .createQueryBuilder('c')
      .addSelect('c.secretHash')
      .where('c.purpose = :purpose AND c.channel = :channel AND c.target = :target', { purpose, channel, target });
    if (userId !== undefined) {
      query.andWhere(userId === null ? 'c.user_id IS NULL' : 'c.user_id = :userId', { userId });
    }
    return query
      .orderBy('c.id', 'DESC')
      .limit(1)
      .getOne() as Promise<CodeWithHash | null>;
  }

  /** The link token with this hash, whatever its state; inside the caller's transaction when given. */
  findBySecretHash(secretHash: string, manager?: EntityManager): Promise<VerificationCodeEntity | null> {
    const codes = manager ? manager.getRepository(VerificationCodeEntity) : this.codes;
    return codes.createQueryBuilder('c').where('c.secret_hash = :secretHash', { secretHash }).getOne();
  }

  findById(id: number): Promise<VerificationCodeEntity | null> {
    return this.codes.findOne({ where: { id } });
  }

  /** Counts one attempt if any are left on a live secret; false when none are. */
  async registerAttempt(id: number, now: Date): Promise<boolean> {
    const rows = await runSql(
      this.db,
      `UPDATE verification_codes SET attempts = attempts + 1
        WHERE id = :id AND attempts < max_attempts AND consumed_at IS NULL AND revoked_at IS NULL AND expires_at > :now
        RETURNING id`,
      { id, now: now.getTime() },
    );
    return rows.length === 1;
  }

  /** Burns a secret whose attempts are used up. */
  async burnIfExhausted(id: number, now: Date): Promise<void> {
    await runSql(
      this.db,
      `UPDATE verification_codes SET revoked_at = :now WHERE id = :id AND attempts >= max_attempts AND revoked_at IS NULL AND consumed_at IS NULL`,
      { id, now: now.getTime() },
    );
  }

  /**
   * Consumes a live secret that has tries left (wrong tries registered first win over a right
   * one that comes after them); exactly one caller gets true.
   */
  async consume(id: number, now: Date, manager?: EntityManager): Promise<boolean> {
    const rows = await runSql(
      manager ?? this.db,
      `UPDATE verification_codes SET consumed_at = :now
        WHERE id = :id AND consumed_at IS NULL AND revoked_at IS NULL AND expires_at > :now AND attempts < max_attempts
        RETURNING id`,
      { id, now: now.getTime() },
    );
    return rows.length === 1;
  }

  /** Deletes secrets that ended before `before` (housekeeping). */
  async purgeEndedBefore(before: Date): Promise<void> {
    await runSql(this.db, `DELETE FROM verification_codes WHERE expires_at < :before`, { before: before.getTime() });
  }
}
