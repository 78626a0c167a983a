import { strictMock } from '../../../../test/support/strict-mock';
import { userPrincipal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { BUILTIN_ROLES } from '../rbac/builtin-roles';
import { RoleGraph } from '../rbac/role-graph';
import type { RoleGraphProvider } from '../rbac/role-graph.provider';
import { TargetAccessPolicy, TargetRule } from './target-access.policy';
import type { UserEntity } from './user.entity';
import type { UserManagementPolicy } from './user-management.policy';
import type { UsersRepository } from './users.repository';

const graph = new RoleGraph(BUILTIN_ROLES);
const update: TargetRule = { resource: 'users', verb: 'update', selfAllowed: true, changesTarget: true };
const read: TargetRule = { resource: 'users', verb: 'get', selfAllowed: true, changesTarget: false };
const returnCode: TargetRule = { resource: 'users', subresource: 'verification-code', verb: 'create', selfAllowed: false, changesTarget: true };

const manager = userPrincipal({ id: 2, name: 'manager' }, ['role-template-manage-users'], ['role-template-manage-users'], 'session');
const plain = userPrincipal({ id: 4, name: 'plain' }, [], [], 'session');

function build(assertMayManage: UserManagementPolicy['assertMayManage'] = async () => undefined, findById: UsersRepository['findById'] = async () => null) {
  const users = strictMock<UsersRepository>('UsersRepository', { findById });
  const roleGraph = strictMock<RoleGraphProvider>('RoleGraphProvider', { graph: async () => graph });
  const management = strictMock<UserManagementPolicy>('UserManagementPolicy', { assertMayManage });
  return { sut: new TargetAccessPolicy(users, roleGraph, management), users, management };
}

describe('TargetAccessPolicy', () => {
  it('finds users by id but never system users', async () => {
    const rows: Record<number, Partial<UserEntity>> = { 4: { id: 4, name: 'plain' }, 6: { id: 6, name: 'anonymousUser' } };
    const { sut, users } = build(undefined, async (id: number) => (rows[id] as UserEntity | undefined) ?? null);
    expect((await sut.findTarget(4))?.name).toBe('plain');
    expect(await sut.findTarget(6)).toBe(null);
    expect(await sut.findTarget(9)).toBe(null);
    expect(jest.mocked(users.findById).mock.calls).toEqual([[4], [6], [9]]);
  });

  it('lets a caller act on itself when the rule allows it, without asking about roles', async () => {
    const { sut, management } = build();
    expect(await sut.decide(plain, update, { id: 4, name: 'plain' })).toBe('allowed');
    expect(jest.mocked(management.assertMayManage).mock.calls).toEqual([]);
  });

  it('needs the rule for oneself when the rule says so', async () => {
    const { sut } = build();
    expect(await sut.decide(manager, returnCode, { id: 2, name: 'manager' })).toBe('missing-permission');
  });

  it('refuses another user without the permission, before looking at the target’s roles', async () => {
    const { sut, management } = build();
    expect(await sut.decide(plain, update, { id: 5, name: 'other' })).toBe('missing-permission');
    expect(jest.mocked(management.assertMayManage).mock.calls).toEqual([]);
  });

  it('with the permission, changing another user also needs every role it holds', async () => {
    const { sut, management } = build(async () => {
      throw new DomainError(ErrorCode.Forbidden, 'holds more');
    });
    expect(await sut.decide(manager, update, { id: 1, name: 'admin' })).toBe('lacks-target-roles');
    expect(jest.mocked(management.assertMayManage).mock.calls).toEqual([[manager, 'admin']]);
  });

  it('reads need no roles of the target', async () => {
    const { sut, management } = build();
    expect(await sut.decide(manager, read, { id: 1, name: 'admin' })).toBe('allowed');
    expect(jest.mocked(management.assertMayManage).mock.calls).toEqual([]);
  });

  it('passes on errors that are not a refusal', async () => {
    const { sut } = build(async () => {
      throw new Error('database down');
    });
    await expect(sut.decide(manager, update, { id: 5, name: 'other' })).rejects.toThrow(/database down/);
  });
});
