import { RbacKeys } from '../../rbac/rbac-labels';
import { toDeletedHaloRole, toHaloRole, toHaloUserPermission, toRoleDraft } from './role.mapper';
import type { RoleWriteDto } from './dto/role-write.dto';

const rule = { apiGroups: ['api.console.halo.run'], resources: ['users/permissions'], resourceNames: [], nonResourceURLs: [], verbs: ['create'] };
const role = {
  name: 'role-template-manage-permissions',
  labels: { a: 'b' },
  annotations: { [RbacKeys.uiPermissions]: '["system:permissions:manage"]' },
  rules: [rule],
  version: 2,
  createdAt: new Date('2026-03-01T12:00:00Z'),
};

describe('Halo role mapper', () => {
  it("returns roles in Halo's shape with every rule array present", () => {
    const halo = toHaloRole(role);
    expect(halo).toEqual({
      apiVersion: 'v1alpha1',
      kind: 'Role',
      metadata: { name: role.name, labels: { a: 'b' }, annotations: role.annotations, version: 2, creationTimestamp: '2026-03-01T12:00:00.000Z' },
      rules: [rule],
    });
    const permission = toHaloUserPermission({ roles: [role], permissions: [role], uiPermissions: ['x'] });
    expect(permission.roles[0]!.metadata.annotations?.[RbacKeys.uiPermissions]).toBe('["system:permissions:manage"]');
    expect(permission.uiPermissions).toEqual(['x']);
  });

  it('a deleted role carries metadata.deletionTimestamp', () => {
    const deleted = toDeletedHaloRole({ ...role, deletedAt: new Date('2026-03-02T00:00:00Z') });
    expect(deleted.metadata.deletionTimestamp).toBe('2026-03-02T00:00:00.000Z');
    expect(deleted.metadata.name).toBe(role.name);
  });

  it('a Role body becomes a draft; absent maps and rules are empty', () => {
    expect(toRoleDraft({ metadata: { generateName: 'role-' } } as RoleWriteDto)).toEqual({ generateName: 'role-', labels: {}, annotations: {}, rules: [] });
    expect(toRoleDraft({ metadata: { name: 'x', version: 3, labels: { a: 'b' } }, rules: [rule] } as RoleWriteDto)).toEqual({
      name: 'x',
      version: 3,
      labels: { a: 'b' },
      annotations: {},
      rules: [rule],
    });
  });
});
