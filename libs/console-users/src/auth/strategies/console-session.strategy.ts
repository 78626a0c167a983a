import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { readCookie } from '../../http/cookies';
import { ConsoleRequest, headerValue } from '../../http/http-types';
import type { Principal } from '../principal';
import { PrincipalResolver, SESSION_COOKIE } from '../principal-resolver.service';
import { CONSOLE_USERS_AUTHENTICATOR, ConsoleAuthenticator } from './console-authenticator';
import { CONSOLE_REQUEST_STRATEGY, ConsoleRequestStrategy } from './console-request-strategy';
import { CONSOLE_SESSION_STRATEGY } from './strategy-names';

/**
 * `console-session`: the user of the `SESSION` cookie set by `POST /login`. Without a cookie, or
 * with one that no longer names a live session of an enabled user, it passes (Passport `fail`),
 * so the next strategy of a chain may try. A host puts `AuthGuard('console-session')` on its own
 * routes to require a console login; `request.user` is then the {@link Principal}.
 */
@Injectable()
export class ConsoleSessionStrategy extends PassportStrategy(Strategy, CONSOLE_SESSION_STRATEGY) implements ConsoleRequestStrategy {
  readonly [CONSOLE_REQUEST_STRATEGY] = true as const;

  constructor(
    private readonly principals: PrincipalResolver,
    @Inject(CONSOLE_USERS_AUTHENTICATOR) authenticator: ConsoleAuthenticator,
  ) {
    super();
    authenticator.use(CONSOLE_SESSION_STRATEGY, this);
  }

  validate(request: ConsoleRequest): Principal | Promise<Principal | null> | null {
    const token = readCookie(headerValue(request, 'cookie'), SESSION_COOKIE);
    if (!token) {
      return null;
    }
    // A cached session answers at once; only a miss waits for the database.
    return this.principals.cachedSession(token) ?? this.principals.fromSession(token);
  }
}
