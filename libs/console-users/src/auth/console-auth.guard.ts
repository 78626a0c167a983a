import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ClientIpResolver } from '../http/client-ip';
import { ConsoleRequest } from '../http/http-types';
import { RequestInfo, verbFor } from '../rbac/request-info';
import { PERMISSION_METADATA, PUBLIC_ROUTE_METADATA, PermissionSpec } from '../rbac/requires-permission.decorator';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import type { Principal } from './principal';
import { PrincipalResolver } from './principal-resolver.service';

/**
 * Identifies the caller and enforces the route's declared permission (the body rules are
 * {@link RequestBodyGuard}'s, next in line).
 * Fails closed: a route that declares nothing is denied. Protected hooks let a host adjust it.
 */
@Injectable()
export class ConsoleAuthGuard implements CanActivate {
  private readonly ipResolver: ClientIpResolver;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly principals: PrincipalResolver,
    protected readonly roleGraph: RoleGraphProvider,
    @Inject(CONSOLE_USERS_OPTIONS) options: ResolvedConsoleUsersOptions,
  ) {
    this.ipResolver = new ClientIpResolver(options.trustProxy);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    request.consoleClientIp ??= this.ipResolver.resolve(request);
    request.consolePrincipal ??= await this.principals.resolve(request);
    const principal = request.consolePrincipal;

    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets) === true;
    if (!isPublic) {
      const spec = this.reflector.getAllAndOverride<PermissionSpec | undefined>(PERMISSION_METADATA, targets);
      if (!spec || !(await this.isAllowed(principal, this.requestInfo(spec, request)))) {
        throw this.denial(principal);
      }
    }
    return true;
  }

  /** The RBAC tuple of this request under the route's declaration. */
  protected requestInfo(spec: PermissionSpec, request: ConsoleRequest): RequestInfo {
    const name = spec.name ?? (spec.nameParam ? request.params?.[spec.nameParam] : undefined);
    return {
      kind: 'resource',
      apiGroup: spec.apiGroup,
      resource: spec.resource,
      subresource: spec.subresource,
      name,
      verb: spec.verb ?? verbFor(request.method, name !== undefined),
    };
  }

  protected async isAllowed(principal: Principal, info: RequestInfo): Promise<boolean> {
    const graph = await this.roleGraph.graph();
    return graph.allows(principal.roles, info);
  }

  protected denial(principal: Principal): DomainError {
    return principal.kind === 'anonymous'
      ? new DomainError(ErrorCode.Unauthenticated, 'Full authentication is required to access this resource.')
      : new DomainError(ErrorCode.Forbidden, 'Access Denied');
  }
}
