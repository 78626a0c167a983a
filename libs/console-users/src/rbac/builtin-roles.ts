import type { StringMap } from '../common/json-map';
import type { PolicyRule } from './role.entity';
import { ApiGroups, RbacKeys, RoleNames } from './rbac-labels';

/** A role as seeded at boot. */
export interface RoleDefinition {
  name: string;
  labels: StringMap;
  annotations: StringMap;
  rules: PolicyRule[];
}

/** Builds a {@link PolicyRule} with Halo's "every array present" convention. */
export function rule(partial: Partial<PolicyRule>): PolicyRule {
  return {
    apiGroups: partial.apiGroups ?? [],
    resources: partial.resources ?? [],
    resourceNames: partial.resourceNames ?? [],
    nonResourceURLs: partial.nonResourceURLs ?? [],
    verbs: partial.verbs ?? [],
  };
}

const hidden = { [RbacKeys.hidden]: 'true' };
const template = { [RbacKeys.roleTemplate]: 'true' };
const deps = (...names: string[]) => ({ [RbacKeys.dependencies]: JSON.stringify(names) });
const ui = (...names: string[]) => ({ [RbacKeys.uiPermissions]: JSON.stringify(names) });
const shown = (module: string, displayName: string) => ({
  [RbacKeys.module]: module,
  [RbacKeys.displayName]: displayName,
});

const { console: consoleGroup, core, uc, ucSecurity } = ApiGroups;

/**
 * The built-in roles and role templates of Halo, seeded at every boot so
 * upgrades refresh their rules. Custom roles are never touched.
 */
export const BUILTIN_ROLES: RoleDefinition[] = [
  {
    name: RoleNames.superRole,
    labels: { [RbacKeys.systemReserved]: 'true' },
    annotations: { ...ui('*'), [RbacKeys.displayName]: 'Super Administrator' },
    rules: [rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }), rule({ nonResourceURLs: ['*'], verbs: ['*'] })],
  },
  {
    name: RoleNames.guest,
    labels: { [RbacKeys.systemReserved]: 'true' },
    annotations: {
      [RbacKeys.displayName]: 'Guest',
      [RbacKeys.disallowAccessConsole]: 'true',
      [RbacKeys.redirectOnLogin]: '/uc',
    },
    rules: [],
  },
  {
    name: RoleNames.anonymous,
    labels: { ...hidden },
    annotations: deps('role-template-own-permissions'),
    rules: [rule({ apiGroups: [consoleGroup], resources: ['users'], resourceNames: ['-'], verbs: ['get'] })],
  },
  {
    name: RoleNames.authenticated,
    labels: { ...hidden },
    annotations: deps(
      'role-template-own-user-info',
      'role-template-own-permissions',
      'role-template-change-own-password',
      'role-template-manage-own-pat',
    ),
    rules: [],
  },
  {
    name: 'role-template-own-user-info',
    labels: { ...hidden, ...template },
    annotations: {},
    rules: [
      rule({ apiGroups: [consoleGroup], resources: ['users'], resourceNames: ['-'], verbs: ['get', 'update'] }),
      rule({ apiGroups: [consoleGroup], resources: ['users/avatar'], resourceNames: ['-'], verbs: ['create', 'delete'] }),
      rule({
        apiGroups: [consoleGroup],
        resources: ['users/send-email-verification-code', 'users/verify-email'],
        resourceNames: ['-'],
        verbs: ['create'],
      }),
      rule({ apiGroups: [uc], resources: ['users'], resourceNames: ['-'], verbs: ['get'] }),
    ],
  },
  {
    name: 'role-template-own-permissions',
    labels: { ...hidden, ...template },
    annotations: {},
    rules: [rule({ apiGroups: [consoleGroup], resources: ['users/permissions'], resourceNames: ['-'], verbs: ['list', 'get'] })],
  },
  {
    name: 'role-template-change-own-password',
    labels: { ...hidden, ...template },
    annotations: {},
    rules: [
      rule({ apiGroups: [consoleGroup], resources: ['users/password'], resourceNames: ['-'], verbs: ['update'] }),
      rule({ apiGroups: [uc], resources: ['users/password'], resourceNames: ['-'], verbs: ['update'] }),
    ],
  },
  {
    name: 'role-template-manage-own-pat',
    labels: { ...hidden, ...template },
    annotations: {},
    rules: [rule({ apiGroups: [ucSecurity], resources: ['personalaccesstokens', 'personalaccesstokens/actions'], verbs: ['*'] })],
  },
  {
    name: 'role-template-view-users',
    labels: { ...template },
    annotations: { ...ui('system:users:view'), ...shown('Users', 'User View') },
    rules: [
      rule({ apiGroups: [core], resources: ['users'], verbs: ['get', 'list'] }),
      rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['get', 'list'] }),
    ],
  },
  {
    name: 'role-template-manage-users',
    labels: { ...template },
    annotations: {
      ...deps('role-template-view-users', 'role-template-change-password', 'role-template-recover-users'),
      ...ui('system:users:manage'),
      ...shown('Users', 'User Manage'),
    },
    rules: [
      rule({ apiGroups: [core], resources: ['users'], verbs: ['create', 'patch', 'update', 'delete', 'deletecollection'] }),
      rule({ apiGroups: [consoleGroup], resources: ['users', 'users/permissions', 'users/password', 'users/avatar'], verbs: ['*'] }),
    ],
  },
  {
    // Sending a recovery mail to the user's own address: the admin never sees the link.
    name: 'role-template-recover-users',
    labels: { ...template },
    annotations: { ...ui('system:users:recover'), ...shown('Users', 'Send Recovery Mail') },
    rules: [
      rule({ apiGroups: [consoleGroup], resources: ['users/recovery-email'], verbs: ['create'] }),
      // Choosing the stage of the mail (authentik's view_emailstage); changing stages is super-role only.
      rule({ apiGroups: [consoleGroup], resources: ['emailstages'], verbs: ['get', 'list'] }),
    ],
  },
  {
    // Handing a secret to the caller (a recovery link, a returned verification code): stronger
    // than managing users, so manage-users does not include it; super-role has it.
    name: 'role-template-issue-recovery-links',
    labels: { ...template },
    annotations: { ...ui('system:users:recovery-links'), ...shown('Users', 'Issue Recovery Links and Codes') },
    rules: [rule({ apiGroups: [consoleGroup], resources: ['users/recovery-link', 'users/verification-code'], verbs: ['create'] })],
  },
  {
    name: 'role-template-change-password',
    labels: { ...hidden, ...template },
    annotations: {},
    rules: [rule({ apiGroups: [consoleGroup], resources: ['users/password'], verbs: ['update'] })],
  },
  {
    name: 'role-template-view-permissions',
    labels: { ...template },
    annotations: { ...ui('system:permissions:view'), ...shown('Permissions', 'Permissions View') },
    rules: [rule({ apiGroups: [consoleGroup], resources: ['users/permissions'], verbs: ['get', 'list'] })],
  },
  {
    name: 'role-template-manage-permissions',
    labels: { ...template },
    annotations: {
      ...deps('role-template-view-permissions'),
      ...ui('system:permissions:manage'),
      ...shown('Permissions', 'Permissions Manage'),
    },
    rules: [
      rule({
        apiGroups: [consoleGroup],
        resources: ['users/permissions'],
        verbs: ['create', 'patch', 'update', 'delete', 'deletecollection'],
      }),
    ],
  },
  {
    // Reading /actuator/prometheus (when the host turns it on), e.g. for a scraper's PAT.
    name: 'role-template-view-metrics',
    labels: { ...template },
    annotations: { ...ui('system:metrics:view'), ...shown('Operations', 'Metrics View') },
    rules: [rule({ apiGroups: [consoleGroup], resources: ['metrics'], verbs: ['get'] })],
  },
  {
    name: 'role-template-view-roles',
    labels: { ...template },
    annotations: { ...ui('system:roles:view'), ...shown('Roles', 'Role View') },
    rules: [rule({ apiGroups: [core], resources: ['roles'], verbs: ['get', 'list'] })],
  },
  {
    name: 'role-template-manage-roles',
    labels: { ...template },
    annotations: {
      ...deps('role-template-view-roles', 'role-template-manage-permissions'),
      ...ui('system:roles:manage'),
      ...shown('Roles', 'Role Manage'),
    },
    rules: [rule({ apiGroups: [core], resources: ['roles'], verbs: ['create', 'patch', 'update', 'delete', 'deletecollection'] })],
  },
];
