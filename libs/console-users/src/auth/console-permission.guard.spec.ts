import { ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { RoleGraphProvider } from '../rbac/role-graph.provider';
import { rateLimitedError } from '../throttling/rate-limited.error';
import { ConsolePermissionGuard } from './console-permission.guard';
import type { PrincipalResolver } from './principal-resolver.service';
import type { ConsoleAuthenticator } from './strategies/console-authenticator';

/** A host route's request and response, the way the guard sees them. */
function httpContext(request: Record<string, unknown>) {
  const headers: Record<string, string> = {};
  const response = { header: (name: string, value: string) => void (headers[name] = value) };
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
    getArgByIndex: (index: number) => [request, response][index],
    getHandler: () => function route() {},
    getClass: () => class HostController {},
  } as unknown as ExecutionContext;
  return { context, headers };
}

describe('ConsolePermissionGuard (a host route behind the library)', () => {
  const options = { publicUrl: 'https://console.example.com', trustProxy: false } as unknown as ResolvedConsoleUsersOptions;
  const sut = () =>
    new ConsolePermissionGuard(new Reflector(), {} as PrincipalResolver, {} as RoleGraphProvider, options, {} as ConsoleAuthenticator);

  it('answers a refused limit with a Nest 429 and the Retry-After of the limit', async () => {
    const guard = sut();
    const now = new Date('2026-12-05T10:00:00Z');
    jest.spyOn(guard as unknown as { authenticate: () => Promise<never> }, 'authenticate').mockRejectedValue(rateLimitedError(new Date(now.getTime() + 42_000), now));
    const { context, headers } = httpContext({ method: 'GET', headers: {}, socket: { remoteAddress: '127.0.0.1' } });

    const refusal = await guard.canActivate(context).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(429);
    expect(headers['Retry-After']).toBe('42');
  });

  it('refuses a cross-site POST that carries the session cookie before anyone is identified (403)', async () => {
    const guard = sut();
    const authenticate = jest.spyOn(guard as unknown as { authenticate: () => Promise<never> }, 'authenticate');
    const { context, headers } = httpContext({
      method: 'POST',
      headers: { cookie: 'SESSION=abc', origin: 'https://evil.example' },
      socket: { remoteAddress: '127.0.0.1' },
    });

    const refusal = await guard.canActivate(context).catch((error: unknown) => error);

    expect((refusal as HttpException).getStatus()).toBe(403);
    expect(authenticate).not.toHaveBeenCalled();
    expect(headers).toEqual({});
  });

  it('passes other domain errors on as Nest exceptions with their status (401)', async () => {
    const guard = sut();
    jest.spyOn(guard as unknown as { authenticate: () => Promise<never> }, 'authenticate').mockRejectedValue(new DomainError(ErrorCode.InvalidToken, 'bad token'));
    const { context } = httpContext({ method: 'GET', headers: {}, socket: { remoteAddress: '127.0.0.1' } });

    const refusal = await guard.canActivate(context).catch((error: unknown) => error);

    expect((refusal as HttpException).getStatus()).toBe(401);
  });
});
