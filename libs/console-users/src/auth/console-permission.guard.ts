import { ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { HALO_ERROR_MAP } from '../faces/halo/halo-problem.filter';
import { ConsoleResponse, setHeader } from '../http/http-types';
import { SameOriginGuard } from '../http/same-origin.guard';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { ConsoleAuthGuard } from './console-auth.guard';
import { PrincipalResolver } from './principal-resolver.service';
import { CONSOLE_USERS_AUTHENTICATOR, ConsoleAuthenticator } from './strategies/console-authenticator';

/**
 * {@link ConsoleAuthGuard} for a host's own routes: the same strategies and RBAC check, but its
 * refusals are Nest `HttpException`s (401, 403, 429 with the message), which the host's filters
 * and Nest's default answer understand. The library's domain errors are answered only on the
 * library's own routes, by its faces' filters; elsewhere Nest would see an unknown error (500).
 * Like the library's routes, a state-changing request that carries the session cookie or Basic
 * credentials from another site is refused first ({@link SameOriginGuard}): a host's own POST
 * must not be a CSRF target because it trusts our cookie.
 *
 * ```ts
 * @UseGuards(ConsolePermissionGuard)
 * @RequiresPermission({ apiGroup: '', resource: 'users', verb: 'list' })
 * @Get('reports') …
 * ```
 */
@Injectable()
export class ConsolePermissionGuard extends ConsoleAuthGuard {
  private readonly sameOrigin: SameOriginGuard;

  constructor(
    reflector: Reflector,
    principals: PrincipalResolver,
    roleGraph: RoleGraphProvider,
    @Inject(CONSOLE_USERS_OPTIONS) options: ResolvedConsoleUsersOptions,
    @Inject(CONSOLE_USERS_AUTHENTICATOR) authenticator: ConsoleAuthenticator,
  ) {
    super(reflector, principals, roleGraph, options, authenticator);
    this.sameOrigin = new SameOriginGuard(reflector, options);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      this.sameOrigin.canActivate(context);
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof DomainError) {
        const status = HALO_ERROR_MAP[error.code].status;
        if (error.options.retryAfterSeconds !== undefined) {
          // A limit says when to come back, in whatever format the host answers the 429.
          setHeader(context.switchToHttp().getResponse<ConsoleResponse>(), 'Retry-After', String(error.options.retryAfterSeconds));
        }
        throw new HttpException({ statusCode: status, message: error.message }, status, { cause: error });
      }
      throw error;
    }
  }
}
