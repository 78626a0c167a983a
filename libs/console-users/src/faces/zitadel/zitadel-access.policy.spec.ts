import { userPrincipal } from '../../auth/principal';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { BUILTIN_ROLES } from '../../rbac/builtin-roles';
import { RoleGraph } from '../../rbac/role-graph';
import type { RoleBindingsRepository } from '../../rbac/role-bindings.repository';
import type { RoleGraphProvider } from '../../rbac/role-graph.provider';
import type { UserEntity } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import { TargetAccessPolicy } from '../../users/target-access.policy';
import { UserManagementPolicy } from '../../users/user-management.policy';
import { ZitadelAccessPolicy, ZitadelAction } from './zitadel-access.policy';

const users: Record<number, Partial<UserEntity>> = {
  1: { id: 1, name: 'admin' },
  2: { id: 2, name: 'manager' },
  3: { id: 3, name: 'linker' },
  4: { id: 4, name: 'plain' },
  5: { id: 5, name: 'other' },
  6: { id: 6, name: 'anonymousUser' },
};
const bound: Record<string, string[]> = {
  admin: ['super-role'],
  manager: ['role-template-manage-users'],
  linker: ['role-template-issue-recovery-links'],
  plain: [],
  other: [],
};

function policy(): ZitadelAccessPolicy {
  const usersRepo = { findById: async (id: number) => (users[id] as UserEntity | undefined) ?? null } as unknown as UsersRepository;
  const bindings = { roleNamesOf: async (name: string) => bound[name] ?? [] } as unknown as RoleBindingsRepository;
  const graph = new RoleGraph(BUILTIN_ROLES);
  const provider = { graph: async () => graph } as unknown as RoleGraphProvider;
  return new ZitadelAccessPolicy(new TargetAccessPolicy(usersRepo, provider, new UserManagementPolicy(provider, bindings)));
}

function actor(id: number) {
  const user = users[id]!;
  return userPrincipal({ id: user.id!, name: user.name! }, bound[user.name!]!, bound[user.name!]!, 'session');
}

async function allowed(sut: ZitadelAccessPolicy, actorId: number, action: ZitadelAction, targetId: number): Promise<boolean> {
  try {
    await sut.assertMay(actor(actorId), action, users[targetId] as UserEntity);
    return true;
  } catch (error) {
    expect(error instanceof DomainError && error.code === ErrorCode.Forbidden).toBeTruthy();
    return false;
  }
}

describe('ZitadelAccessPolicy', () => {
  it('finds targets by integer id only, never system users', async () => {
    const sut = policy();
    expect((await sut.findTarget('4'))?.name).toBe('plain');
    for (const id of ['abc', '04', '-4', '4.0', '', '99999999999999999', '6', '7']) {
      expect(await sut.findTarget(id)).toBe(null);
    }
    const lookup = sut.requireTarget('abc');
    await expect(lookup).rejects.toBeInstanceOf(DomainError);
    await expect(lookup).rejects.toMatchObject({ code: ErrorCode.UserNotFound });
  });

  it('self-service: read, send and change-password yes; return-code, mark-verified and set-password no', async () => {
    const sut = policy();
    expect(await allowed(sut, 4, 'read', 4)).toBe(true);
    expect(await allowed(sut, 4, 'send', 4)).toBe(true);
    expect(await allowed(sut, 4, 'change-password', 4)).toBe(true);
    expect(await allowed(sut, 4, 'return-code', 4)).toBe(false);
    expect(await allowed(sut, 4, 'mark-verified', 4)).toBe(false);
    expect(await allowed(sut, 4, 'set-password', 4)).toBe(false);
  });

  it('a plain user can do nothing to another user', async () => {
    const sut = policy();
    for (const action of ['read', 'send', 'return-code', 'mark-verified', 'change-password', 'set-password'] as const) {
      expect(await allowed(sut, 4, action, 5)).toBe(false);
    }
  });

  it('manage-users: everything but return-code, and nothing to a user holding roles it lacks', async () => {
    const sut = policy();
    for (const action of ['read', 'send', 'mark-verified', 'change-password', 'set-password'] as const) {
      expect(await allowed(sut, 2, action, 5)).toBe(true);
    }
    expect(await allowed(sut, 2, 'return-code', 5)).toBe(false);
    expect(await allowed(sut, 2, 'return-code', 2)).toBe(false);
    expect(await allowed(sut, 2, 'read', 1)).toBe(true); // reading is not acting
    expect(await allowed(sut, 2, 'send', 1)).toBe(false);
    expect(await allowed(sut, 2, 'set-password', 1)).toBe(false);
  });

  it('issue-recovery-links: return-code for anyone it may act on, itself included; nothing else', async () => {
    const sut = policy();
    expect(await allowed(sut, 3, 'return-code', 5)).toBe(true);
    expect(await allowed(sut, 3, 'return-code', 3)).toBe(true);
    expect(await allowed(sut, 3, 'return-code', 2)).toBe(false); // the manager holds manage-users, the linker does not
    expect(await allowed(sut, 3, 'send', 5)).toBe(false);
  });

  it('super-role may do everything to everyone', async () => {
    const sut = policy();
    for (const action of ['read', 'send', 'return-code', 'mark-verified', 'change-password', 'set-password'] as const) {
      expect(await allowed(sut, 1, action, 2)).toBe(true);
      expect(await allowed(sut, 1, action, 1)).toBe(true);
    }
  });
});
