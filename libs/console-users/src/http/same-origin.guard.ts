import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RouteMetadata } from '../common/route-metadata';
import { readCookie } from './cookies';
import { ConsoleRequest, headerValue } from './http-types';
import { isCrossOrigin } from './request-origin';
import { SAME_ORIGIN_ALWAYS_METADATA } from './same-origin.decorator';
import { requestOf } from './http-context';

/** Name of the session cookie (the principal resolver's); repeated here to keep http/ free of auth/. */
const SESSION_COOKIE = 'SESSION';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence by origin: a state-changing request that carries credentials a browser attaches
 * by itself (the session cookie, or HTTP Basic credentials it has cached) is refused with 403 when
 * the browser says it comes from another origin ({@link isCrossOrigin}, against PUBLIC_URL).
 * A bearer token is never attached by a browser, so a request with one is exempt, as is any
 * request without ambient credentials (API clients send no Origin at all). Routes marked
 * {@link SameOriginAlways} are checked even without a cookie. Runs before authentication, so a
 * forged request costs nothing (no failed-login count, no session touched). Errors are domain
 * errors: each face's filter renders the 403 in its own format.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  private readonly siteOrigin: string;
  private readonly sameOriginAlways: RouteMetadata<boolean>;

  constructor(
    protected readonly reflector: Reflector,
    @Inject(CONSOLE_USERS_OPTIONS) options: ResolvedConsoleUsersOptions,
  ) {
    this.siteOrigin = new URL(options.publicUrl).origin;
    this.sameOriginAlways = new RouteMetadata(reflector, SAME_ORIGIN_ALWAYS_METADATA);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = requestOf(context);
    if (SAFE_METHODS.has(request.method.toUpperCase())) {
      return true;
    }
    const always = this.sameOriginAlways.of(context) === true;
    if ((always || this.carriesAmbientCredentials(request)) && isCrossOrigin(request, this.siteOrigin)) {
      throw new DomainError(ErrorCode.Forbidden, 'Cross-site request refused: the request does not come from this site.');
    }
    return true;
  }

  /** Credentials a browser sends on its own with a request another site makes it send. */
  protected carriesAmbientCredentials(request: ConsoleRequest): boolean {
    const scheme = headerValue(request, 'authorization')?.trim().split(/\s+/)[0]?.toLowerCase();
    if (scheme === 'bearer') {
      return false;
    }
    return scheme === 'basic' || readCookie(headerValue(request, 'cookie'), SESSION_COOKIE) !== undefined;
  }
}
