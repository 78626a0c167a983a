import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { EmailStageEntity } from './email-stage.entity';

/** Filters of the stage list. */
export interface EmailStageFilter {
  name?: string;
  /** Case-insensitive substring of the name. */
  search?: string;
}

/** Queries on email stages. */
@Injectable()
export class EmailStagesRepository {
  private readonly stages: Repository<EmailStageEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) db: DataSource) {
    this.stages = db.getRepository(EmailStageEntity);
  }

  findById(id: string): Promise<EmailStageEntity | null> {
    return this.stages.findOne({ where: { id } });
  }

  findByName(name: string): Promise<EmailStageEntity | null> {
    return this.stages.findOne({ where: { name } });
  }

  /** A page ordered by name, and the total count. */
  page(filter: EmailStageFilter, offset: number, limit: number): Promise<[EmailStageEntity[], number]> {
    const query = this.stages.createQueryBuilder('s');
    if (filter.name !== undefined) {
      query.andWhere('s.name = :name', { name: filter.name });
    }
    if (filter.search) {
      query.andWhere("LOWER(s.name) LIKE :search ESCAPE '\\'", { search: `%${escapeLike(filter.search.toLowerCase())}%` });
    }
    return query.orderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC').skip(offset).take(limit).getManyAndCount();
  }

  async insert(stage: EmailStageEntity, manager?: EntityManager): Promise<void> {
    await (manager ? manager.getRepository(EmailStageEntity) : this.stages).insert(stage);
  }

  /** Inserts unless a stage with that name exists (several instances may boot at once). */
  async insertIfAbsent(stage: EmailStageEntity): Promise<void> {
    await this.stages.createQueryBuilder().insert().values(stage).orIgnore().updateEntity(false).execute();
  }

  /** Writes the changes if nobody changed the row since `expectedVersion`; returns whether it did. */
  async update(id: string, changes: Partial<Pick<EmailStageEntity, 'name' | 'subject' | 'template' | 'fromAddress' | 'tokenExpiry'>>, expectedVersion: number, now: Date): Promise<boolean> {
    const result = await this.stages
      .createQueryBuilder()
      .update(EmailStageEntity)
      .set({ ...changes, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
      .execute();
    return (result.affected ?? 0) === 1;
  }
}

/** `%` and `_` typed by a user match themselves. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
