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
import { andThen, MaybePromise } from '../common/maybe-promise';
import { PerRoute } from '../common/route-metadata';
import { ANONYMOUS, Principal } from './principal';
import { PrincipalResolver } from './principal-resolver.service';
import { CONSOLE_USERS_AUTHENTICATOR, ConsoleAuthenticator, identifyCaller } from './strategies/console-authenticator';
import { CONSOLE_REQUEST_STRATEGIES } from './strategies/strategy-names';
import { requestOf, responseOf } from '../http/http-context';

/** A route's access declaration: public, or the permission it requires (none: denied). */
export interface RouteDeclaration {
  isPublic: boolean;
  spec: PermissionSpec | undefined;
}

/**
 * Identifies the caller with the Passport strategies `console-pat`, `console-basic` and
 * `console-session` (in that order; none → anonymous; see {@link identifyCaller}) and enforces the route's declared
 * permission (the body rules are {@link RequestBodyGuard}'s, next in line). A host may put it on
 * its own routes together with `@RequiresPermission(...)`.
 * Fails closed: a route that declares nothing is denied. Protected hooks let a host adjust it.
 */
@Injectable()
export class ConsoleAuthGuard implements CanActivate {
  private readonly ipResolver: ClientIpResolver;
  private readonly declarations = new PerRoute<RouteDeclaration>((targets) => ({
    isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets) === true,
    spec: this.reflector.getAllAndOverride<PermissionSpec | undefined>(PERMISSION_METADATA, targets),
  }));

  constructor(
    protected readonly reflector: Reflector,
    protected readonly principals: PrincipalResolver,
    protected readonly roleGraph: RoleGraphProvider,
    @Inject(CONSOLE_USERS_OPTIONS) options: ResolvedConsoleUsersOptions,
    @Inject(CONSOLE_USERS_AUTHENTICATOR) protected readonly authenticator: ConsoleAuthenticator,
  ) {
    this.ipResolver = new ClientIpResolver(options.trustProxy);
  }

  /**
   * Answers at once when the caller and the role snapshot are cached (nearly every request), and
   * with a promise otherwise: each `await` on the way would cost every request a turn of the
   * event loop's microtask queue for nothing.
   */
  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const request = requestOf(context);
    request.consoleClientIp ??= this.ipResolver.resolve(request);
    const known = request.consolePrincipal;
    if (known) {
      return this.authorize(context, request, known);
    }
    return andThen(this.authenticate(context), (principal) => this.authorize(context, request, (request.consolePrincipal ??= principal)));
  }

  /** The route's declaration against the caller: true, or the 401/403 thrown (or rejected). */
  private authorize(context: ExecutionContext, request: ConsoleRequest, principal: Principal): MaybePromise<boolean> {
    const { isPublic, spec } = this.declarationOf(context);
    if (isPublic) {
      return true;
    }
    if (!spec) {
      throw this.denial(principal);
    }
    return andThen(this.isAllowed(principal, this.requestInfo(spec, request)), (allowed) => {
      if (!allowed) {
        throw this.denial(principal);
      }
      return true;
    });
  }

  /** What the route declares (read once per handler and class: decorators do not change at run time). */
  protected declarationOf(context: ExecutionContext): RouteDeclaration {
    return this.declarations.of(context);
  }

  /** The caller: the first strategy's principal, or anonymous when no credentials were sent. */
  protected authenticate(context: ExecutionContext): MaybePromise<Principal> {
    return andThen(identifyCaller(this.authenticator, CONSOLE_REQUEST_STRATEGIES, requestOf(context), responseOf(context)), (user) => (user || ANONYMOUS) as Principal);
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

  protected isAllowed(principal: Principal, info: RequestInfo): MaybePromise<boolean> {
    const graph = this.roleGraph.current();
    return graph ? graph.allows(principal.roles, info) : this.roleGraph.graph().then((loaded) => loaded.allows(principal.roles, info));
  }

  protected denial(principal: Principal): DomainError {
    return principal.kind === 'anonymous'
      ? new DomainError(ErrorCode.Unauthenticated, 'Full authentication is required to access this resource.')
      : new DomainError(ErrorCode.Forbidden, 'Access Denied');
  }
}
