import type { RoleNode } from '../../rbac/role-graph';
import type { HaloRole } from './dto/halo-role.dto';
import { RbacKeys } from '../../rbac/rbac-labels';

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

/** True for roles Halo hides from user-facing role lists. */
export function isHiddenRole(role: RoleNode): boolean {
  return role.labels[RbacKeys.hidden] === 'true';
}
