import { Injectable } from '@nestjs/common';
import { parseStringArray } from '../common/json-map';
import { isHiddenRole, RbacKeys, RoleNames } from './rbac-labels';
import type { RoleGraph, RoleNode } from './role-graph';
import { RoleGraphProvider } from './role-graph.provider';

/** What a set of role names amounts to: the visible roles held, every role they grant, the UI permissions. */
export interface EffectivePermissions {
  roles: RoleNode[];
  permissions: RoleNode[];
  uiPermissions: string[];
}

/** Computes what a set of role names amounts to, the way Halo's GetPermissions does. */
@Injectable()
export class PermissionsService {
  constructor(private readonly roleGraph: RoleGraphProvider) {}

  async describe(roleNames: string[]): Promise<EffectivePermissions> {
    const graph = await this.roleGraph.graph();
    const visible = dedupe(roleNames)
      .map((name) => graph.get(name))
      .filter((role): role is RoleNode => role !== undefined && !isHiddenRole(role));
    const permissions = roleNames.includes(RoleNames.superRole)
      ? graph.all().filter((role) => !isHiddenRole(role))
      : this.expandVisible(graph, visible);
    const uiPermissions = new Set<string>();
    for (const role of permissions) {
      for (const permission of parseStringArray(role.annotations[RbacKeys.uiPermissions])) {
        uiPermissions.add(permission);
      }
    }
    return {
      roles: byName(visible),
      permissions: byName(permissions),
      uiPermissions: [...uiPermissions].sort(),
    };
  }

  /** Visible roles plus their dependencies and aggregated roles; hidden ones neither returned nor expanded. */
  private expandVisible(graph: RoleGraph, start: RoleNode[]): RoleNode[] {
    const seen = new Map<string, RoleNode>();
    const queue = [...start];
    while (queue.length > 0) {
      const role = queue.pop()!;
      if (seen.has(role.name) || isHiddenRole(role)) {
        continue;
      }
      seen.set(role.name, role);
      for (const dependency of parseStringArray(role.annotations[RbacKeys.dependencies])) {
        const next = graph.get(dependency);
        if (next) {
          queue.push(next);
        }
      }
      for (const candidate of graph.all()) {
        if (candidate.labels[`${RbacKeys.aggregateToPrefix}${role.name}`] === 'true') {
          queue.push(candidate);
        }
      }
    }
    return [...seen.values()];
  }
}

function dedupe(names: string[]): string[] {
  return [...new Set(names)];
}

function byName<T extends { name: string }>(roles: T[]): T[] {
  return [...roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
