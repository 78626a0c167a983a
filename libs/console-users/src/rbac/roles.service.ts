import { Injectable } from '@nestjs/common';
import { extensionNotFound } from '../users/user-errors';
import type { PolicyRule } from './role.entity';
import type { RoleEntity } from './role.entity';
import { RolesRepository } from './roles.repository';

/** A role as the core hands it out (never the entity). */
export interface Role {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  rules: PolicyRule[];
  version: number;
  createdAt: Date;
}

/** Reads roles; faces shape and filter them for their wire. */
@Injectable()
export class RolesService {
  constructor(private readonly roles: RolesRepository) {}

  async all(): Promise<Role[]> {
    return (await this.roles.findAll()).map(toRole);
  }

  async get(name: string): Promise<Role> {
    const role = await this.roles.findByName(name);
    if (!role) {
      throw extensionNotFound('Role', name);
    }
    return toRole(role);
  }
}

/** The core value of a role row (copies, so callers can't change the row). */
export function toRole(row: RoleEntity): Role {
  return {
    name: row.name,
    labels: { ...row.labels },
    annotations: { ...row.annotations },
    rules: row.rules,
    version: row.version,
    createdAt: row.createdAt,
  };
}
