import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_ROLES } from './builtin-roles';
import { PermissionsService } from './permissions.service';
import { RbacKeys } from './rbac-labels';
import { RoleGraph, RoleNode } from './role-graph';
import type { RoleGraphProvider } from './role-graph.provider';

const editor: RoleNode = {
  name: 'editor',
  labels: {},
  annotations: { [RbacKeys.dependencies]: '["role-template-manage-permissions", "role-template-change-password"]' },
  rules: [],
};
const editorExtras: RoleNode = {
  name: 'editor-extras',
  labels: { [`${RbacKeys.aggregateToPrefix}editor`]: 'true' },
  annotations: { [RbacKeys.uiPermissions]: '["system:extras:view"]' },
  rules: [],
};
const hiddenCustom: RoleNode = {
  name: 'hidden-custom',
  labels: { [RbacKeys.hidden]: 'true' },
  annotations: { [RbacKeys.dependencies]: '["role-template-view-users"]' },
  rules: [],
};

/** A strict stand-in: only `graph()` exists, so any other call fails the test. */
function provider(roles: RoleNode[]): RoleGraphProvider {
  const graph = new RoleGraph(roles);
  return { graph: async () => graph } as unknown as RoleGraphProvider;
}

const names = (roles: { metadata: { name: string } }[]) => roles.map((r) => r.metadata.name);

describe('PermissionsService.describe', () => {
  const sut = new PermissionsService(provider([...BUILTIN_ROLES, editor, editorExtras, hiddenCustom]));

  it('gives super-role every visible role and "*" among the UI permissions', async () => {
    const view = await sut.describe(['super-role', 'authenticated', 'anonymous']);
    assert.deepEqual(names(view.roles), ['super-role']);
    const visible = [...BUILTIN_ROLES, editor, editorExtras, hiddenCustom]
      .filter((r) => r.labels[RbacKeys.hidden] !== 'true')
      .map((r) => r.name)
      .sort();
    assert.deepEqual(names(view.permissions), visible);
    assert.deepEqual(view.uiPermissions, [
      '*',
      'system:extras:view',
      'system:permissions:manage',
      'system:permissions:view',
      'system:roles:manage',
      'system:roles:view',
      'system:users:manage',
      'system:users:view',
    ]);
  });

  it('gives nothing to a caller with no visible role', async () => {
    assert.deepEqual(await sut.describe([]), { roles: [], permissions: [], uiPermissions: [] });
    assert.deepEqual(await sut.describe(['authenticated', 'anonymous']), { roles: [], permissions: [], uiPermissions: [] });
  });

  it('neither returns nor expands hidden roles', async () => {
    assert.deepEqual(await sut.describe(['hidden-custom']), { roles: [], permissions: [], uiPermissions: [] });
  });

  it('expands visible dependencies and leaves hidden ones out', async () => {
    const view = await sut.describe(['role-template-manage-users']);
    assert.deepEqual(names(view.roles), ['role-template-manage-users']);
    // role-template-change-password is a dependency, but hidden.
    assert.deepEqual(names(view.permissions), ['role-template-manage-users', 'role-template-view-users']);
    assert.deepEqual(view.uiPermissions, ['system:users:manage', 'system:users:view']);
  });

  it('expands a custom role through its dependencies and the roles aggregated into it', async () => {
    const view = await sut.describe(['editor']);
    assert.deepEqual(names(view.roles), ['editor']);
    assert.deepEqual(names(view.permissions), [
      'editor',
      'editor-extras',
      'role-template-manage-permissions',
      'role-template-view-permissions',
    ]);
    assert.deepEqual(view.uiPermissions, ['system:extras:view', 'system:permissions:manage', 'system:permissions:view']);
  });

  it('de-duplicates, drops unknown names and sorts by name', async () => {
    const view = await sut.describe(['role-template-view-users', 'no-such-role', 'editor', 'role-template-view-users']);
    assert.deepEqual(names(view.roles), ['editor', 'role-template-view-users']);
    const permissionNames = names(view.permissions);
    assert.deepEqual(permissionNames, [...new Set(permissionNames)].sort());
    assert.ok(permissionNames.includes('role-template-view-users'));
  });

  it("returns roles in Halo's shape with every rule array present", async () => {
    const view = await sut.describe(['role-template-view-users']);
    const [role] = view.roles;
    assert.equal(role!.apiVersion, 'v1alpha1');
    assert.equal(role!.kind, 'Role');
    for (const r of role!.rules) {
      assert.deepEqual(Object.keys(r).sort(), ['apiGroups', 'nonResourceURLs', 'resourceNames', 'resources', 'verbs']);
    }
  });
});
