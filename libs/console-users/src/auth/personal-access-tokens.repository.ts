import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { runSql } from '../database/sql';
import { PersonalAccessTokenEntity } from './personal-access-token.entity';

/** Queries on personal access tokens. */
@Injectable()
export class PersonalAccessTokensRepository {
  private readonly pats: Repository<PersonalAccessTokenEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.pats = db.getRepository(PersonalAccessTokenEntity);
  }

  async insert(values: Omit<PersonalAccessTokenEntity, 'id'>): Promise<PersonalAccessTokenEntity> {
    await this.pats.insert(this.pats.create(values));
    return (await this.findByName(values.name))!;
  }

  findByName(name: string): Promise<PersonalAccessTokenEntity | null> {
    return this.pats.findOne({ where: { name } });
  }

  findByTokenHash(tokenHash: string): Promise<PersonalAccessTokenEntity | null> {
    return this.pats.createQueryBuilder('p').where('p.token_hash = :tokenHash', { tokenHash }).getOne();
  }

  listOfUser(userId: number): Promise<PersonalAccessTokenEntity[]> {
    return this.pats.find({ where: { userId }, order: { createdAt: 'DESC', name: 'ASC' } });
  }

  async setRevoked(id: number, revoked: boolean, at: Date | null): Promise<void> {
    await runSql(this.db, `UPDATE personal_access_tokens SET revoked = :revoked, revokes_at = :at, version = version + 1 WHERE id = :id`, {
      id,
      revoked,
      at: at ? at.getTime() : null,
    });
  }

  async delete(id: number): Promise<void> {
    await this.pats.delete({ id });
  }

  /** Revokes every token of a user; returns how many were live. */
  async revokeAllOfUser(userId: number, now: Date, manager?: EntityManager): Promise<number> {
    const result = await (manager ?? this.db.manager)
      .createQueryBuilder()
      .update(PersonalAccessTokenEntity)
      .set({ revoked: true, revokesAt: now })
      .where('user_id = :userId AND revoked = :no', { userId, no: false })
      .execute();
    return result.affected ?? 0;
  }

  /** Deletes every token of a user (the user itself is being deleted). */
  async deleteAllOfUser(userId: number, manager: EntityManager): Promise<void> {
    await manager.getRepository(PersonalAccessTokenEntity).delete({ userId });
  }

  /** Records use at most once per interval (conditional, so concurrent requests write once). */
  async touch(id: number, now: Date, notBefore: Date): Promise<void> {
    await runSql(
      this.db,
      `UPDATE personal_access_tokens SET last_used = :now WHERE id = :id AND (last_used IS NULL OR last_used < :notBefore)`,
      { id, now: now.getTime(), notBefore: notBefore.getTime() },
    );
  }
}
