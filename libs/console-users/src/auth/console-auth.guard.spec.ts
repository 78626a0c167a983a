import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { rule } from '../rbac/builtin-roles';
import { ApiGroups } from '../rbac/rbac-labels';
import { RequiresPermission } from '../rbac/requires-permission.decorator';
import { RoleGraph } from '../rbac/role-graph';
import type { RoleGraphProvider } from '../rbac/role-graph.provider';
import { ConsoleAuthGuard } from './console-auth.guard';
import { ANONYMOUS, Principal } from './principal';
import type { PrincipalResolver } from './principal-resolver.service';
import type { ConsoleAuthenticator } from './strategies/console-authenticator';

class UsersController {
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'users', name: '-' })
  me(): void {}
}

const graph = new RoleGraph([
  { name: 'reader', labels: {}, annotations: {}, rules: [rule({ apiGroups: [ApiGroups.console], resources: ['users'], verbs: ['get'] })] },
]);
const reader = { kind: 'user', name: 'ann', roles: ['reader'] } as unknown as Principal;
const stranger = { kind: 'user', name: 'bob', roles: [] } as unknown as Principal;

function contextFor(request: Record<string, unknown>): ExecutionContext {
  return {
    getArgByIndex: (index: number) => [request, {}][index],
    getHandler: () => UsersController.prototype.me,
    getClass: () => UsersController,
  } as unknown as ExecutionContext;
}

function guard(caller: Principal | Promise<Principal>, snapshot: { cached: boolean }) {
  const roleGraph = { current: () => (snapshot.cached ? graph : undefined), graph: async () => graph } as unknown as RoleGraphProvider;
  const options = { trustProxy: false } as unknown as ResolvedConsoleUsersOptions;
  const sut = new ConsoleAuthGuard(new Reflector(), {} as PrincipalResolver, roleGraph, options, {} as ConsoleAuthenticator);
  jest.spyOn(sut as unknown as { authenticate: () => unknown }, 'authenticate').mockReturnValue(caller);
  return sut;
}

const request = () => ({ method: 'GET', url: '/users/-', headers: {}, socket: { remoteAddress: '127.0.0.1' } });

describe('ConsoleAuthGuard', () => {
  it('answers at once, not with a promise, when the caller and the role snapshot are cached', () => {
    const req = request();
    expect(guard(reader, { cached: true }).canActivate(contextFor(req))).toBe(true);
    expect(req).toMatchObject({ consolePrincipal: reader, consoleClientIp: '127.0.0.1' });
  });

  it('refuses at once too: 403 for a user without the permission, 401 for anonymous callers', () => {
    expect(() => guard(stranger, { cached: true }).canActivate(contextFor(request()))).toThrow(
      expect.objectContaining({ code: ErrorCode.Forbidden }) as DomainError,
    );
    expect(() => guard(ANONYMOUS, { cached: true }).canActivate(contextFor(request()))).toThrow(
      expect.objectContaining({ code: ErrorCode.Unauthenticated }) as DomainError,
    );
  });

  it('waits for what is not cached, with the same answers', async () => {
    await expect(guard(Promise.resolve(reader), { cached: false }).canActivate(contextFor(request()))).resolves.toBe(true);
    await expect(guard(Promise.resolve(stranger), { cached: false }).canActivate(contextFor(request()))).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
  });
});
