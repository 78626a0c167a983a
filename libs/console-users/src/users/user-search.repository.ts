import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { SYSTEM_USER_NAMES } from './system-users';
import { UserEntity } from './user.entity';
import type { UserSearchCriteria, UserSortKey } from './user-search-criteria';

export type { UserSearchCriteria, UserSortKey };

const COLUMNS: Record<UserSortKey, string> = {
  name: 'u.name',
  id: 'u.id',
  displayName: 'u.displayNameLower',
  email: 'u.emailLower',
  createdAt: 'u.createdAt',
  updatedAt: 'u.updatedAt',
  disabled: 'u.disabled',
};

/** Searches over listable users: system users (anonymousUser, ghost) are never found here. */
@Injectable()
export class UserSearchRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) db: DataSource) {
    this.users = db.getRepository(UserEntity);
  }

  /** A page and the total count. */
  page(criteria: UserSearchCriteria): Promise<[UserEntity[], number]> {
    const query = this.users.createQueryBuilder('u').where('u.name NOT IN (:...system)', { system: [...SYSTEM_USER_NAMES] });
    if (criteria.name !== undefined) {
      query.andWhere('u.name = :username', { username: criteria.name });
    }
    if (criteria.email !== undefined) {
      query.andWhere('u.email_lower = :email', { email: criteria.email.toLowerCase() });
    }
    if (criteria.displayName !== undefined) {
      query.andWhere('u.display_name = :name', { name: criteria.displayName });
    }
    if (criteria.active !== undefined) {
      query.andWhere('u.disabled = :disabled', { disabled: !criteria.active });
    }
    if (criteria.text) {
      const pattern = `%${criteria.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        "(LOWER(u.name) LIKE :pattern ESCAPE '\\' OR u.display_name_lower LIKE :pattern ESCAPE '\\' OR u.email_lower LIKE :pattern ESCAPE '\\')",
        { pattern },
      );
    }
    for (const { key, descending } of criteria.order) {
      query.addOrderBy(COLUMNS[key], descending ? 'DESC' : 'ASC');
    }
    if (criteria.order.length === 0) {
      query.addOrderBy('u.name', 'ASC');
    }
    return query.addOrderBy('u.id', 'ASC').skip(criteria.offset).take(criteria.limit).getManyAndCount();
  }

  /** One listable user. */
  findById(id: number): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('u.id = :id AND u.name NOT IN (:...system)', { id, system: [...SYSTEM_USER_NAMES] }).getOne();
  }
}
