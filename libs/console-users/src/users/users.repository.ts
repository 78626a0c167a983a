import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { In, Not } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { UserEntity } from './user.entity';
import { SYSTEM_USER_NAMES } from './system-users';

/** Fields needed to insert a user. */
export type NewUser = Omit<UserEntity, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'displayNameLower' | 'emailLower' | 'verifiedEmail'>;

/** Queries on users. Password hashes are only loaded by the methods that say so. */
@Injectable()
export class UsersRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.users = db.getRepository(UserEntity);
  }

  repository(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }

  findByName(name: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOne({ where: { name } });
  }

  findById(id: number, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOne({ where: { id } });
  }

  findByNames(names: string[]): Promise<UserEntity[]> {
    return names.length === 0 ? Promise.resolve([]) : this.users.find({ where: { name: In(names) } });
  }

  /** The user and its password hash, for credential checks only. */
  findWithPasswordByName(name: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.name = :name', { name })
      .getOne();
  }

  /** The user holding `emailLower` as a verified address, with its password hash. */
  findWithPasswordByVerifiedEmail(emailLower: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.verified_email = :email', { email: emailLower })
      .getOne();
  }

  /** The user holding `emailLower` as its verified address, if any. */
  findByVerifiedEmail(emailLower: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOne({ where: { verifiedEmail: emailLower } });
  }

  findPasswordHash(id: number): Promise<string | null> {
    return this.users
      .createQueryBuilder('u')
      .select('u.id')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne()
      .then((u) => u?.passwordHash ?? null);
  }

  /** Number of real (non-system) users. */
  countRealUsers(): Promise<number> {
    return this.users.count({ where: { name: Not(In([...SYSTEM_USER_NAMES])) } });
  }

  async insert(user: NewUser, now: Date, manager?: EntityManager): Promise<UserEntity> {
    const repo = this.repository(manager);
    const entity = repo.create({
      ...user,
      ...derivedColumns(user),
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(entity);
    return (await this.findByName(user.name, manager))!;
  }

  /**
   * Writes changed fields, keeps the derived columns in step, bumps `version` and `updated_at`.
   * With `expectedVersion`, the write only happens if nobody changed the row meanwhile
   * (optimistic lock); returns whether it happened.
   */
  async update(
    manager: EntityManager | undefined,
    current: UserEntity,
    changes: Partial<Omit<UserEntity, 'id' | 'name' | 'version' | 'createdAt' | 'displayNameLower' | 'emailLower' | 'verifiedEmail'>>,
    now: Date,
    expectedVersion?: number,
  ): Promise<boolean> {
    const merged = { ...current, ...changes };
    const query = this.repository(manager)
      .createQueryBuilder()
      .update(UserEntity)
      .set({ ...changes, ...derivedColumns(merged), version: () => 'version + 1', updatedAt: now })
      .where('id = :id', { id: current.id });
    if (expectedVersion !== undefined) {
      query.andWhere('version = :expectedVersion', { expectedVersion });
    }
    const result = await query.execute();
    return (result.affected ?? 0) === 1;
  }

  /** Inserts unless a user with that name exists (several instances may boot at once). */
  async insertIfAbsent(user: NewUser, now: Date): Promise<void> {
    await this.users
      .createQueryBuilder()
      .insert()
      .values({ ...user, ...derivedColumns(user), version: 0, createdAt: now, updatedAt: now })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}

/** The columns computed from others, kept in one place so every write keeps them in step. */
export function derivedColumns(user: Pick<UserEntity, 'displayName' | 'email' | 'emailVerified'>): Pick<
  UserEntity,
  'displayNameLower' | 'emailLower' | 'verifiedEmail'
> {
  const emailLower = user.email ? user.email.toLowerCase() : null;
  return {
    displayNameLower: user.displayName.toLowerCase(),
    emailLower,
    verifiedEmail: user.emailVerified && emailLower ? emailLower : null,
  };
}
