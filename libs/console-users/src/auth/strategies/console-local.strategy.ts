import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { ClientIpResolver } from '../../http/client-ip';
import { readCookie } from '../../http/cookies';
import { ConsoleRequest, headerValue } from '../../http/http-types';
import type { UserEntity } from '../../users/user.entity';
import { DEVICE_COOKIE } from '../device-cookies';
import { LoginService } from '../login.service';
import { CONSOLE_USERS_AUTHENTICATOR, ConsoleAuthenticator } from './console-authenticator';
import { CONSOLE_LOCAL_STRATEGY } from './strategy-names';

/**
 * `console-local`: `username` and `password` of the login form (form-encoded or JSON body),
 * checked by the login use-case with its per-account limits and audit. passport-local also looks
 * in the query string; a password there would land in access logs, so only body fields count.
 * Passes when the fields are missing; a wrong password or a disabled account is an error.
 */
@Injectable()
export class ConsoleLocalStrategy extends PassportStrategy(Strategy, CONSOLE_LOCAL_STRATEGY) {
  private readonly ipResolver: ClientIpResolver;

  constructor(
    private readonly login: LoginService,
    @Inject(CONSOLE_USERS_OPTIONS) options: ResolvedConsoleUsersOptions,
    @Inject(CONSOLE_USERS_AUTHENTICATOR) authenticator: ConsoleAuthenticator,
  ) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
    this.ipResolver = new ClientIpResolver(options.trustProxy);
    authenticator.use(CONSOLE_LOCAL_STRATEGY, this);
  }

  async validate(request: ConsoleRequest, username: unknown, password: unknown): Promise<UserEntity | null> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.username !== username || body.password !== password) {
      return null;
    }
    const context = {
      ip: request.consoleClientIp ?? this.ipResolver.resolve(request),
      userAgent: headerValue(request, 'user-agent') ?? null,
      // The browser's device cookie keeps it out of lockouts that others' guesses cause.
      deviceCookie: readCookie(headerValue(request, 'cookie'), DEVICE_COOKIE) ?? null,
    };
    return this.login.authenticate(username, password, context, 'form');
  }
}
