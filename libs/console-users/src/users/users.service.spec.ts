import { strictMock } from '../../../../test/support/strict-mock';
import { ANONYMOUS } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { PermissionsService } from '../rbac/permissions.service';
import { RbacKeys } from '../rbac/rbac-labels';
import type { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraph } from '../rbac/role-graph';
import type { RoleGraphProvider } from '../rbac/role-graph.provider';
import { newUser } from './new-user';
import { UserRecordCache } from './user-record-cache';
import type { UserEntity } from './user.entity';
import type { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const graph = new RoleGraph([
  { name: 'old', labels: {}, annotations: {}, rules: [], createdAt: new Date('2026-01-01T00:00:00Z') },
  { name: 'new-b', labels: {}, annotations: {}, rules: [], createdAt: new Date('2026-02-01T00:00:00Z') },
  { name: 'new-a', labels: {}, annotations: {}, rules: [], createdAt: new Date('2026-02-01T00:00:00Z') },
  { name: 'secret', labels: { [RbacKeys.hidden]: 'true' }, annotations: {}, rules: [] },
]);

function row(name: string): UserEntity {
  const at = new Date('2026-03-01T12:00:00Z');
  return { ...newUser({ name, passwordHash: 'hash' }), id: 7, version: 1, createdAt: at, updatedAt: at } as UserEntity;
}

function build(
  findByName: UsersRepository['findByName'],
  roleNamesOf: RoleBindingsRepository['roleNamesOf'] = async () => [],
  records = new UserRecordCache(),
) {
  const users = strictMock<UsersRepository>('UsersRepository', { findByName });
  const bindings = strictMock<RoleBindingsRepository>('RoleBindingsRepository', { roleNamesOf });
  const roleGraph = strictMock<RoleGraphProvider>('RoleGraphProvider', { graph: async () => graph, current: () => graph });
  const permissions = strictMock<PermissionsService>('PermissionsService');
  return { sut: new UsersService(users, bindings, roleGraph, permissions, records), users, bindings, records };
}

describe('UsersService', () => {
  it('userDetail: a view without secrets and the visible roles, newest first then by name', async () => {
    const { sut, bindings } = build(async () => row('ann'), async () => ['old', 'secret', 'new-b', 'gone', 'new-a', 'old']);
    const detail = await sut.userDetail('ann');
    expect(detail.user.name).toBe('ann');
    expect(!('passwordHash' in detail.user)).toBeTruthy();
    expect(detail.roles.map((r) => r.name)).toEqual(['new-a', 'new-b', 'old']);
    expect(jest.mocked(bindings.roleNamesOf).mock.calls).toEqual([['ann']]);
  });

  it('currentUserDetail: anonymous callers get anonymousUser and no roles', async () => {
    const { sut, users } = build(async (name: string) => row(name));
    const detail = await sut.currentUserDetail(ANONYMOUS);
    expect(detail.user.name).toBe('anonymousUser');
    expect(detail.roles).toEqual([]);
    expect(jest.mocked(users.findByName).mock.calls).toEqual([['anonymousUser']]);
  });

  it('404s an unknown user', async () => {
    const { sut } = build(async () => null);
    const rejection = sut.userDetail('nobody');
    await expect(rejection).rejects.toBeInstanceOf(DomainError);
    await expect(rejection).rejects.toMatchObject({ code: ErrorCode.UserNotFound });
  });

  describe('the user record cache', () => {
    it('serves a second read of the same user without a query, and reads again after a drop', async () => {
      const { sut, users, bindings, records } = build(async (name: string) => row(name), async () => ['old']);
      await sut.userDetail('ann');
      const again = await sut.userDetail('ann');
      expect(again.roles.map((r) => r.name)).toEqual(['old']);
      expect(jest.mocked(users.findByName).mock.calls).toEqual([['ann']]);
      records.dropAll();
      await sut.userDetail('ann');
      expect(jest.mocked(users.findByName).mock.calls).toEqual([['ann'], ['ann']]);
      expect(jest.mocked(bindings.roleNamesOf).mock.calls).toEqual([['ann'], ['ann']]);
    });

    it('does not keep a read that a write overtook: the next read goes to the database again', async () => {
      const records = new UserRecordCache();
      // The write (and its drop) lands while the read is between its two queries.
      const { sut, users } = build(
        async (name: string) => row(name),
        async () => {
          records.dropAll();
          return [];
        },
        records,
      );
      await sut.userDetail('ann');
      await sut.userDetail('ann');
      expect(jest.mocked(users.findByName).mock.calls).toEqual([['ann'], ['ann']]);
    });

    it('concurrent misses of one user wait for one read', async () => {
      const { sut, users } = build(async (name: string) => row(name), async () => ['old']);
      const details = await Promise.all([sut.userDetail('ann'), sut.userDetail('ann'), sut.userDetail('ann')]);
      expect(details.map((d) => d.user.name)).toEqual(['ann', 'ann', 'ann']);
      expect(jest.mocked(users.findByName).mock.calls).toEqual([['ann']]);
    });

    it('keeps nothing with a lifetime of 0, and no unknown user', async () => {
      const { sut, users } = build(async (name: string) => (name === 'ann' ? row(name) : null), undefined, new UserRecordCache({ ttlMs: 0 }));
      await sut.userDetail('ann');
      await sut.userDetail('ann');
      await expect(sut.userDetail('nobody')).rejects.toBeInstanceOf(DomainError);
      await expect(sut.userDetail('nobody')).rejects.toBeInstanceOf(DomainError);
      expect(jest.mocked(users.findByName).mock.calls).toEqual([['ann'], ['ann'], ['nobody'], ['nobody']]);
    });

    it('currentUserDetail reads through the same cache but shows the caller\'s authorities', async () => {
      const { sut, users } = build(async (name: string) => row(name), async () => ['old']);
      const principal = { kind: 'user' as const, userId: 7, name: 'ann', roles: ['new-a', 'authenticated', 'anonymous'], boundRoles: ['old'], method: 'pat' as const };
      expect((await sut.currentUserDetail(principal)).roles.map((r) => r.name)).toEqual(['new-a']);
      expect((await sut.userDetail('ann')).roles.map((r) => r.name)).toEqual(['old']);
      expect(jest.mocked(users.findByName).mock.calls).toEqual([['ann']]);
    });
  });
});
