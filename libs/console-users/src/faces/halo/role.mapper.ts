import type { RoleNode } from '../../rbac/role-graph';
import type { HaloRole } from './dto/halo-role.dto';
import type { EffectivePermissions } from '../../rbac/permissions.service';
import type { RoleDraft } from '../../rbac/role-draft';
import type { DeletedRole } from '../../rbac/role-writes.service';
import type { RoleWriteDto } from './dto/role-write.dto';

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

/** A deleted role as Halo answers it: the object, stamped with `metadata.deletionTimestamp`. */
export function toDeletedHaloRole(role: DeletedRole): HaloRole {
  const halo = toHaloRole(role);
  return { ...halo, metadata: { ...halo.metadata, deletionTimestamp: role.deletedAt.toISOString() } };
}

/** A Halo `Role` body as the core's draft (absent maps and rules are empty). */
export function toRoleDraft(body: RoleWriteDto): RoleDraft {
  const { name, generateName, version, labels, annotations } = body.metadata;
  return {
    ...(name !== undefined ? { name } : {}),
    ...(generateName !== undefined ? { generateName } : {}),
    ...(version !== undefined ? { version } : {}),
    labels: { ...(labels ?? {}) },
    annotations: { ...(annotations ?? {}) },
    rules: body.rules ?? [],
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
