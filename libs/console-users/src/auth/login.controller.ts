import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { HaloProblemFilter } from '../faces/halo/halo-problem.filter';
import { AcceptsMediaTypes, BodyLimit } from '../http/body-rules.decorator';
import { serializeCookie } from '../http/cookies';
import { ConsoleResponse, headerValue, setHeader } from '../http/http-types';
import { PublicRoute } from '../rbac/requires-permission.decorator';
import { IpThrottle } from '../throttling/ip-throttle.decorator';
import { ConsoleAuthGuard } from './console-auth.guard';
import { DEVICE_COOKIE, DeviceCookies } from './device-cookies';
import { RequestBodyGuard } from '../http/request-body.guard';
import { SameOriginGuard } from '../http/same-origin.guard';
import { SameOriginAlways } from '../http/same-origin.decorator';
import { ClientIp, CurrentPrincipal } from './current-principal.decorator';
import { LoginService } from './login.service';
import { ConsoleLocalAuthGuard, LoginRequest } from './strategies/console-local-auth.guard';
import type { Principal } from './principal';
import { SESSION_COOKIE } from './principal-resolver.service';
import { SessionsService } from './sessions.service';
import { LoginRequestSchema, LoginResponseSchema } from '../faces/halo/openapi/halo-schemas';
import { HaloErrors } from '../faces/halo/openapi/halo-errors';

/** The principal as Halo's console receives it after an XHR login (Spring's `UserDetails`, minus the password). */
export interface LoginResponse {
  username: string;
  authorities: { authority: string }[];
  accountNonExpired: boolean;
  accountNonLocked: boolean;
  credentialsNonExpired: boolean;
  enabled: boolean;
}

const LOGIN_BODY_LIMIT = 16 * 1024;

/** Form or JSON login with a session cookie, and logout. */
@ApiTags('Authentication')
@Controller()
@UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(HaloProblemFilter)
export class LoginController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly devices: DeviceCookies,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Post('login')
  @HttpCode(200)
  @PublicRoute()
  @SameOriginAlways()
  // Decorators apply bottom-up: the guard of @IpThrottle below runs first, the password check after it.
  @UseGuards(ConsoleLocalAuthGuard)
  @IpThrottle('login')
  @BodyLimit(LOGIN_BODY_LIMIT)
  @AcceptsMediaTypes('application/json', 'application/x-www-form-urlencoded')
  @ApiOperation({ operationId: 'Login', summary: 'Log in with username (or verified email) and password; sets the SESSION cookie' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: LoginRequestSchema })
  @ApiOkResponse({ type: LoginResponseSchema, description: 'Signed in; `Set-Cookie: SESSION=…` (HttpOnly). JSON for XHR/JSON callers; a browser form post is redirected.' })
  @HaloErrors(400, 401, 413, 415, 429, 503)
  async logIn(
    @Body() body: unknown,
    @Req() request: LoginRequest,
    @ClientIp() ip: string,
    @Res({ passthrough: true }) response: ConsoleResponse,
  ): Promise<LoginResponse> {
    const fields = (body ?? {}) as { 'remember-me'?: unknown };
    // Set by ConsoleLocalAuthGuard (the `console-local` strategy), which refuses the request otherwise.
    const result = await this.login.startSession(request.consoleLoginUser!, {
      ip,
      userAgent: headerValue(request, 'user-agent') ?? null,
      rememberMe: rememberMeRequested(fields['remember-me']),
    });
    // Without "remember me" the session cookie has no Max-Age: it ends with the browser session.
    // The device cookie outlives it: it is what keeps this browser out of others' lockouts.
    setHeader(response, 'Set-Cookie', [
      serializeCookie(SESSION_COOKIE, result.sessionToken, { secure: this.options.secureCookies, maxAgeSeconds: result.cookieMaxAgeSeconds }),
      serializeCookie(DEVICE_COOKIE, result.deviceCookie, { secure: this.options.secureCookies, maxAgeSeconds: this.devices.maxAgeSeconds }),
    ]);
    setHeader(response, 'Cache-Control', 'no-store');
    return {
      username: result.username,
      authorities: [...result.roles, 'authenticated', 'anonymous'].map((r) => ({ authority: `ROLE_${r}` })),
      accountNonExpired: true,
      accountNonLocked: true,
      credentialsNonExpired: true,
      enabled: true,
    };
  }

  @Post('logout')
  @HttpCode(204)
  @PublicRoute()
  @AcceptsMediaTypes('application/json', 'application/x-www-form-urlencoded')
  @ApiOperation({ operationId: 'Logout', summary: 'End the current session' })
  @ApiNoContentResponse({ description: 'Session ended and the cookie cleared (also when there was none)' })
  @HaloErrors(415)
  async logOut(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: ConsoleResponse): Promise<void> {
    if (principal.kind === 'user' && principal.sessionId !== undefined) {
      await this.sessions.end(principal.sessionId);
    }
    setHeader(response, 'Set-Cookie', serializeCookie(SESSION_COOKIE, '', { secure: this.options.secureCookies, maxAgeSeconds: 0 }));
  }
}

/** Spring Security's reading of the `remember-me` parameter (Halo's login form): true, on, yes or 1. */
export function rememberMeRequested(value: unknown): boolean {
  if (value === true || value === 1) {
    return true;
  }
  const raw = Array.isArray(value) ? value[0] : value;
  return typeof raw === 'string' && ['true', 'on', 'yes', '1'].includes(raw.trim().toLowerCase());
}
