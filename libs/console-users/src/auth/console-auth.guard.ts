import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import {
  BODY_LIMIT_METADATA,
  JSON_ONLY,
  MEDIA_TYPES_METADATA,
} from '../http/body-rules.decorator';
import { ClientIpResolver } from '../http/client-ip';
import { ConsoleRequest, headerValue } from '../http/http-types';
import { RequestInfo, verbFor } from '../rbac/request-info';
import { PERMISSION_METADATA, PUBLIC_ROUTE_METADATA, PermissionSpec } from '../rbac/requires-permission.decorator';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import type { Principal } from './principal';
import { PrincipalResolver } from './principal-resolver.service';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Identifies the caller and enforces the route's declared permission, then the body rules.
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
    this.checkBody(request, context);
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

  /** 413 above the route's limit and 415 for a media type it does not accept. */
  protected checkBody(request: ConsoleRequest, context: ExecutionContext): void {
    if (!METHODS_WITH_BODY.has(request.method.toUpperCase())) {
      return;
    }
    const targets = [context.getHandler(), context.getClass()];
    const limit = this.reflector.getAllAndOverride<number | undefined>(BODY_LIMIT_METADATA, targets);
    const length = Number(headerValue(request, 'content-length') ?? '0');
    if (limit !== undefined && length > limit) {
      throw new DomainError(ErrorCode.PayloadTooLarge, `The request body must not exceed ${limit} bytes.`);
    }
    const hasBody = length > 0 || headerValue(request, 'transfer-encoding') !== undefined;
    if (!hasBody) {
      return;
    }
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(MEDIA_TYPES_METADATA, targets) ?? JSON_ONLY;
    const contentType = (headerValue(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!accepted.includes(contentType)) {
      throw new DomainError(
        ErrorCode.UnsupportedMediaType,
        `Content-Type '${contentType.slice(0, 100) || '(none)'}' is not supported; use ${accepted.join(' or ')}.`,
      );
    }
  }
}
