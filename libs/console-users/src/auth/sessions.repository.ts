import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { EntityInsert } from '../database/entity-insert';
import { runSql } from '../database/sql';
import { SessionEntity } from './session.entity';

/** A live session and what authentication needs of its owner. */
export interface LiveSession {
  id: number;
  lastSeenAt: Date;
  expiresAt: Date;
  rememberMe: boolean;
  owner: { id: number; name: string; disabled: boolean };
}

/** Queries on sessions. */
@Injectable()
export class SessionsRepository {
  private readonly inserter: EntityInsert<SessionEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.inserter = new EntityInsert(db, SessionEntity);
  }

  async create(values: Omit<SessionEntity, 'id' | 'revokedAt'>): Promise<SessionEntity> {
    // One prepared insert, not save(): save() opens its own transaction outside the SQLite transaction queue.
    const id = await this.inserter.insert({ ...values, revokedAt: null });
    return { ...values, revokedAt: null, id };
  }

  /**
   * The live session for a token hash with the fields of its owner that authentication needs, in
   * one plain statement: this runs on every request that carries a session cookie.
   */
  async findLiveWithOwner(tokenHash: string): Promise<LiveSession | null> {
    const rows = await runSql<Record<string, unknown>>(
      this.db,
      `SELECT s.id AS session_id, s.last_seen_at, s.expires_at, s.remember_me, u.id AS user_id, u.name, u.disabled
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = :tokenHash AND s.revoked_at IS NULL`,
      { tokenHash },
    );
    const row = rows[0];
    if (!row) {
      return null;
    }
    return {
      id: Number(row.session_id),
      lastSeenAt: new Date(Number(row.last_seen_at)),
      expiresAt: new Date(Number(row.expires_at)),
      rememberMe: row.remember_me === true || Number(row.remember_me) === 1,
      owner: { id: Number(row.user_id), name: String(row.name), disabled: row.disabled === true || Number(row.disabled) === 1 },
    };
  }

  /** Records activity; conditional so concurrent requests write at most once per interval. */
  async touch(id: number, now: Date, notBefore: Date): Promise<void> {
    await runSql(this.db, `UPDATE sessions SET last_seen_at = :now WHERE id = :id AND last_seen_at < :notBefore`, {
      id,
      now: now.getTime(),
      notBefore: notBefore.getTime(),
    });
  }

  async revoke(id: number, now: Date): Promise<void> {
    await runSql(this.db, `UPDATE sessions SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL`, {
      id,
      now: now.getTime(),
    });
  }

  /** Revokes every live session of a user; returns how many. */
  async revokeAllOfUser(userId: number, now: Date, manager?: EntityManager): Promise<number> {
    const result = await (manager ?? this.db.manager)
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: now })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
    return result.affected ?? 0;
  }

  /** Deletes every session of a user (the user itself is being deleted). */
  async deleteAllOfUser(userId: number, manager: EntityManager): Promise<void> {
    await manager.getRepository(SessionEntity).delete({ userId });
  }

  async purgeEnded(now: Date): Promise<void> {
    await runSql(this.db, `DELETE FROM sessions WHERE expires_at <= :now OR revoked_at IS NOT NULL AND revoked_at <= :now`, {
      now: now.getTime(),
    });
  }
}
