/** Label and annotation keys of Halo's RBAC model. */
export const RbacKeys = {
  roleTemplate: 'halo.run/role-template',
  hidden: 'halo.run/hidden',
  systemReserved: 'rbac.authorization.halo.run/system-reserved',
  aggregateToPrefix: 'rbac.authorization.halo.run/aggregate-to-',
  dependencies: 'rbac.authorization.halo.run/dependencies',
  uiPermissions: 'rbac.authorization.halo.run/ui-permissions',
  module: 'rbac.authorization.halo.run/module',
  displayName: 'rbac.authorization.halo.run/display-name',
  disallowAccessConsole: 'rbac.authorization.halo.run/disallow-access-console',
  redirectOnLogin: 'rbac.authorization.halo.run/redirect-on-login',
  roleNames: 'rbac.authorization.halo.run/role-names',
} as const;

/** API groups of the Halo face. */
export const ApiGroups = {
  core: '',
  console: 'api.console.halo.run',
  consoleSecurity: 'console.api.security.halo.run',
  uc: 'uc.api.halo.run',
  ucSecurity: 'uc.api.security.halo.run',
} as const;

/** Names of the built-in roles that code refers to. */
export const RoleNames = {
  superRole: 'super-role',
  guest: 'guest',
  anonymous: 'anonymous',
  authenticated: 'authenticated',
} as const;

/** True for roles hidden from user-facing role lists (Halo's `hidden` label). */
export function isHiddenRole(role: { labels: Record<string, string> }): boolean {
  return role.labels[RbacKeys.hidden] === 'true';
}
