import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { In } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { RoleEntity } from './role.entity';
import type { RoleDefinition } from './builtin-roles';

/** Queries on roles. */
@Injectable()
export class RolesRepository {
  private readonly roles: Repository<RoleEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) db: DataSource) {
    this.roles = db.getRepository(RoleEntity);
  }

  findAll(): Promise<RoleEntity[]> {
    return this.roles.find({ order: { name: 'ASC' } });
  }

  findByName(name: string): Promise<RoleEntity | null> {
    return this.roles.findOne({ where: { name } });
  }

  findByNames(names: string[]): Promise<RoleEntity[]> {
    return names.length === 0 ? Promise.resolve([]) : this.roles.find({ where: { name: In(names) } });
  }

  /**
   * Inserts a built-in role, or refreshes its rules, labels and annotations when it exists.
   * Insert-or-ignore first so several instances booting at once do not collide.
   */
  async upsertBuiltin(definition: RoleDefinition, now: Date): Promise<void> {
    await this.roles
      .createQueryBuilder()
      .insert()
      .values({ ...definition, version: 0, createdAt: now })
      .orIgnore()
      .updateEntity(false)
      .execute();
    const existing = await this.roles.findOneOrFail({ where: { name: definition.name } });
    const same =
      JSON.stringify(existing.rules) === JSON.stringify(definition.rules) &&
      JSON.stringify(existing.labels) === JSON.stringify(definition.labels) &&
      JSON.stringify(existing.annotations) === JSON.stringify(definition.annotations);
    if (!same) {
      await this.roles.update(
        { id: existing.id },
        { rules: definition.rules, labels: definition.labels, annotations: definition.annotations, version: existing.version + 1 },
      );
    }
  }

  /** Inserts a custom role; a taken name surfaces as the driver's unique violation. */
  async insert(manager: EntityManager, role: Omit<RoleEntity, 'id'>): Promise<RoleEntity> {
    const result = await manager.getRepository(RoleEntity).insert(role);
    return { ...role, id: Number(result.identifiers[0]!.id) };
  }

  /**
   * Replaces a role's labels, annotations and rules if it is still at `version`; one conditional
   * UPDATE, so of two concurrent writers exactly one wins. False when the version moved.
   */
  async updateAtVersion(
    manager: EntityManager,
    id: number,
    version: number,
    content: Pick<RoleEntity, 'labels' | 'annotations' | 'rules'>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(RoleEntity)
      .set({ ...content, version: version + 1 })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.getRepository(RoleEntity).delete({ id });
  }

  findByNameIn(manager: EntityManager, name: string): Promise<RoleEntity | null> {
    return manager.getRepository(RoleEntity).findOne({ where: { name } });
  }
}
