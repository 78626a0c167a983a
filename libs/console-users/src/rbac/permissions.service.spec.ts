import { rule } from './builtin-roles';
import { PermissionsService } from './permissions.service';
import { RbacKeys } from './rbac-labels';
import { RoleGraph, RoleNode } from './role-graph';
import type { RoleGraphProvider } from './role-graph.provider';

const hidden = { [RbacKeys.hidden]: 'true' };
const template = { [RbacKeys.roleTemplate]: 'true' };
const deps = (...names: string[]) => ({ [RbacKeys.dependencies]: JSON.stringify(names) });
const ui = (...names: string[]) => ({ [RbacKeys.uiPermissions]: JSON.stringify(names) });

/** A small catalogue in Halo's shape; independent of the built-in one so that can grow. */
const ROLES: RoleNode[] = [
  { name: 'super-role', labels: {}, annotations: ui('*'), rules: [rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] })] },
  { name: 'anonymous', labels: hidden, annotations: deps('role-template-own-permissions'), rules: [] },
  { name: 'authenticated', labels: hidden, annotations: deps('role-template-own-permissions'), rules: [] },
  { name: 'role-template-own-permissions', labels: { ...hidden, ...template }, annotations: {}, rules: [] },
  { name: 'role-template-view-users', labels: template, annotations: ui('system:users:view'), rules: [] },
  {
    name: 'role-template-manage-users',
    labels: template,
    annotations: { ...deps('role-template-view-users', 'role-template-change-password'), ...ui('system:users:manage') },
    rules: [],
  },
  { name: 'role-template-change-password', labels: { ...hidden, ...template }, annotations: ui('system:hidden:never'), rules: [] },
  { name: 'role-template-view-permissions', labels: template, annotations: ui('system:permissions:view'), rules: [] },
  {
    name: 'role-template-manage-permissions',
    labels: template,
    annotations: { ...deps('role-template-view-permissions'), ...ui('system:permissions:manage') },
    rules: [rule({ apiGroups: ['api.console.halo.run'], resources: ['users/permissions'], verbs: ['create', 'update'] })],
  },
  {
    name: 'editor',
    labels: {},
    annotations: deps('role-template-manage-permissions', 'role-template-change-password'),
    rules: [],
  },
  {
    name: 'editor-extras',
    labels: { [`${RbacKeys.aggregateToPrefix}editor`]: 'true' },
    annotations: ui('system:extras:view'),
    rules: [],
  },
  { name: 'hidden-custom', labels: hidden, annotations: deps('role-template-view-users'), rules: [] },
];

/** A strict stand-in: only `graph()` exists, so any other call fails the test. */
function provider(roles: RoleNode[]): RoleGraphProvider {
  const graph = new RoleGraph(roles);
  return { graph: async () => graph } as unknown as RoleGraphProvider;
}

const names = (roles: RoleNode[]) => roles.map((r) => r.name);

describe('PermissionsService.describe', () => {
  const sut = new PermissionsService(provider(ROLES));

  it('gives super-role every visible role and "*" among the UI permissions', async () => {
    const view = await sut.describe(['super-role', 'authenticated', 'anonymous']);
    expect(names(view.roles)).toEqual(['super-role']);
    expect(names(view.permissions)).toEqual([
      'editor',
      'editor-extras',
      'role-template-manage-permissions',
      'role-template-manage-users',
      'role-template-view-permissions',
      'role-template-view-users',
      'super-role',
    ]);
    expect(view.uiPermissions).toEqual([
      '*',
      'system:extras:view',
      'system:permissions:manage',
      'system:permissions:view',
      'system:users:manage',
      'system:users:view',
    ]);
  });

  it('gives nothing to a caller with no visible role', async () => {
    expect(await sut.describe([])).toEqual({ roles: [], permissions: [], uiPermissions: [] });
    expect(await sut.describe(['authenticated', 'anonymous'])).toEqual({ roles: [], permissions: [], uiPermissions: [] });
  });

  it('neither returns nor expands hidden roles', async () => {
    expect(await sut.describe(['hidden-custom'])).toEqual({ roles: [], permissions: [], uiPermissions: [] });
  });

  it('expands visible dependencies and leaves hidden ones out', async () => {
    const view = await sut.describe(['role-template-manage-users']);
    expect(names(view.roles)).toEqual(['role-template-manage-users']);
    // role-template-change-password is a dependency, but hidden.
    expect(names(view.permissions)).toEqual(['role-template-manage-users', 'role-template-view-users']);
    expect(view.uiPermissions).toEqual(['system:users:manage', 'system:users:view']);
  });

  it('expands a custom role through its dependencies and the roles aggregated into it', async () => {
    const view = await sut.describe(['editor']);
    expect(names(view.roles)).toEqual(['editor']);
    expect(names(view.permissions)).toEqual([
      'editor',
      'editor-extras',
      'role-template-manage-permissions',
      'role-template-view-permissions',
    ]);
    expect(view.uiPermissions).toEqual(['system:extras:view', 'system:permissions:manage', 'system:permissions:view']);
  });

  it('de-duplicates, drops unknown names and sorts by name', async () => {
    const view = await sut.describe(['role-template-view-users', 'no-such-role', 'editor', 'role-template-view-users']);
    expect(names(view.roles)).toEqual(['editor', 'role-template-view-users']);
    const permissionNames = names(view.permissions);
    expect(permissionNames).toEqual([...new Set(permissionNames)].sort());
    expect(permissionNames.includes('role-template-view-users')).toBeTruthy();
  });

  it('returns the role nodes with their rules and annotations', async () => {
    const view = await sut.describe(['role-template-manage-permissions']);
    const [role] = view.roles;
    expect(role!.rules).toEqual([
      { apiGroups: ['api.console.halo.run'], resources: ['users/permissions'], resourceNames: [], nonResourceURLs: [], verbs: ['create', 'update'] },
    ]);
    expect(role!.annotations[RbacKeys.uiPermissions]).toBe('["system:permissions:manage"]');
  });
});
