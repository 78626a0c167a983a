import type { Role } from '@halo-dev/api-client';
import { useQuery } from '@tanstack/vue-query';
import { coreRoles } from '../api/clients';

export const RBAC = {
  roleTemplate: 'halo.run/role-template',
  hidden: 'halo.run/hidden',
  systemReserved: 'rbac.authorization.halo.run/system-reserved',
  dependencies: 'rbac.authorization.halo.run/dependencies',
  uiPermissions: 'rbac.authorization.halo.run/ui-permissions',
  module: 'rbac.authorization.halo.run/module',
  displayName: 'rbac.authorization.halo.run/display-name',
} as const;

export function roleLabel(role: Role): string {
  return role.metadata.annotations?.[RBAC.displayName] || role.metadata.name;
}

export function roleDependencies(role: Role): string[] {
  const raw = role.metadata.annotations?.[RBAC.dependencies];
  if (!raw) {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export function isBuiltIn(role: Role): boolean {
  return role.metadata.labels?.[RBAC.systemReserved] === 'true' || role.metadata.labels?.[RBAC.roleTemplate] === 'true';
}

/** Roles a user can hold (not templates, not hidden). */
export function useAssignableRoles() {
  return useQuery({
    queryKey: ['roles', 'assignable'],
    queryFn: async () => {
      const { data } = await coreRoles.listRole({ page: 0, size: 0, labelSelector: [`!${RBAC.roleTemplate}`, `!${RBAC.hidden}`] });
      return data.items;
    },
    staleTime: 30_000,
  });
}

/** Visible role templates, the building blocks of custom roles. */
export function useRoleTemplates() {
  return useQuery({
    queryKey: ['roles', 'templates'],
    queryFn: async () => {
      const { data } = await coreRoles.listRole({ page: 0, size: 0, labelSelector: [`${RBAC.roleTemplate}=true`, `!${RBAC.hidden}`] });
      return data.items;
    },
    staleTime: 30_000,
  });
}
