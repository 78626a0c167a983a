import type { RoleNode } from '../../rbac/role-graph';
import type { HaloRole } from './dto/halo-role.dto';
import type { EffectivePermissions } from '../../rbac/permissions.service';

/** A role row (or graph node) as Halo's `Role`. */
export function toHaloRole(role: RoleNode & { version?: number; createdAt?: Date }): HaloRole {
  return {
    apiVersion: 'v1alpha1',
    kind: 'Role',
    metadata: {
      name: role.name,
      labels: { ...role.labels },
      annotations: { ...role.annotations },
      ...(role.version !== undefined ? { version: role.version } : {}),
      ...(role.createdAt ? { creationTimestamp: role.createdAt.toISOString() } : {}),
    },
    rules: role.rules.map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      resourceNames: [...r.resourceNames],
      nonResourceURLs: [...r.nonResourceURLs],
      verbs: [...r.verbs],
    })),
  };
}

/** Halo's `UserPermission`. */
export interface UserPermissionView {
  roles: HaloRole[];
  permissions: HaloRole[];
  uiPermissions: string[];
}

/** Effective permissions as Halo's `UserPermission`. */
export function toHaloUserPermission(effective: EffectivePermissions): UserPermissionView {
  return {
    roles: effective.roles.map(toHaloRole),
    permissions: effective.permissions.map(toHaloRole),
    uiPermissions: [...effective.uiPermissions],
  };
}
