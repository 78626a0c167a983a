import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { In } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { runSql } from '../database/sql';
import { RoleBindingEntity } from './role-binding.entity';

/** Halo's binding name for (user, role). */
export function bindingName(userName: string, roleName: string): string {
  return `${userName}-${roleName}-binding`;
}

/** Queries on role bindings. */
@Injectable()
export class RoleBindingsRepository {
  private readonly bindings: Repository<RoleBindingEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.bindings = db.getRepository(RoleBindingEntity);
  }

  async roleNamesOf(userName: string, manager?: EntityManager): Promise<string[]> {
    // Plain SQL: this runs on every authenticated request, and query building is the costly part.
    const rows = await runSql<{ role_name: string }>(manager ?? this.db, `SELECT role_name FROM role_bindings WHERE subject_name = :userName`, {
      userName,
    });
    return rows.map((r) => r.role_name);
  }

  /** Role names per user for a page of users, in one query. */
  async roleNamesOfMany(userNames: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(userNames.map((n) => [n, []]));
    if (userNames.length === 0) {
      return result;
    }
    const rows = await this.bindings.find({
      where: { subjectName: In(userNames) },
      select: { subjectName: true, roleName: true },
    });
    for (const row of rows) {
      result.get(row.subjectName)?.push(row.roleName);
    }
    return result;
  }

  async userNamesWithRole(roleName: string): Promise<string[]> {
    const rows = await this.bindings.find({ where: { roleName }, select: { subjectName: true } });
    return rows.map((r) => r.subjectName);
  }

  /**
   * Makes the user's bindings exactly `roleNames` (Halo's replace semantics), inside the
   * caller's transaction. Returns whether anything changed.
   */
  async replaceRoles(manager: EntityManager, userName: string, roleNames: string[], now: Date): Promise<boolean> {
    const repo = manager.getRepository(RoleBindingEntity);
    const current = await repo.find({ where: { subjectName: userName } });
    const wanted = new Set(roleNames.filter((r) => r.trim() !== ''));
    const toDelete = current.filter((b) => !wanted.has(b.roleName));
    const have = new Set(current.map((b) => b.roleName));
    const toAdd = [...wanted].filter((r) => !have.has(r));
    if (toDelete.length > 0) {
      await repo.delete({ id: In(toDelete.map((b) => b.id)) });
    }
    for (const roleName of toAdd) {
      await repo.insert({ name: bindingName(userName, roleName), roleName, subjectName: userName, createdAt: now });
    }
    return toDelete.length > 0 || toAdd.length > 0;
  }

  async deleteAllOf(manager: EntityManager, userName: string): Promise<void> {
    await manager.getRepository(RoleBindingEntity).delete({ subjectName: userName });
  }

  /** Deletes every binding to a role (the role is being deleted); returns the users that held it. */
  async deleteAllToRole(manager: EntityManager, roleName: string): Promise<string[]> {
    const repo = manager.getRepository(RoleBindingEntity);
    const rows = await repo.find({ where: { roleName }, select: { id: true, subjectName: true } });
    if (rows.length > 0) {
      await repo.delete({ roleName });
    }
    return rows.map((r) => r.subjectName);
  }
}
