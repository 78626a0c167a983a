import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { ConsoleRequest, headerValue } from '../../http/http-types';
import type { Principal } from '../principal';
import { PrincipalResolver, splitAuthorization } from '../principal-resolver.service';
import { CONSOLE_USERS_AUTHENTICATOR, ConsoleAuthenticator } from './console-authenticator';
import { CONSOLE_REQUEST_STRATEGY, ConsoleRequestStrategy } from './console-request-strategy';
import { CONSOLE_PAT_STRATEGY } from './strategy-names';

/**
 * `console-pat`: a Halo personal access token in `Authorization: Bearer pat_…`, and nowhere
 * else. Tokens in a query string (`?access_token=`) or a form body end up in access logs and
 * browser histories, so they are not read (hence `passport-custom`, not `passport-http-bearer`,
 * which reads both). Without a Bearer header it passes; with one that is not a live token it
 * fails the request (401 `invalid_token`) instead of letting a later strategy rescue it. A host
 * combining it with its own bearer strategy (e.g. `passport-jwt`) lists that one first.
 */
@Injectable()
export class ConsolePatStrategy extends PassportStrategy(Strategy, CONSOLE_PAT_STRATEGY) implements ConsoleRequestStrategy {
  readonly [CONSOLE_REQUEST_STRATEGY] = true as const;

  constructor(
    private readonly principals: PrincipalResolver,
    @Inject(CONSOLE_USERS_AUTHENTICATOR) authenticator: ConsoleAuthenticator,
  ) {
    super();
    authenticator.use(CONSOLE_PAT_STRATEGY, this);
  }

  validate(request: ConsoleRequest): Principal | Promise<Principal> | null {
    const authorization = headerValue(request, 'authorization');
    if (!authorization) {
      return null;
    }
    const [scheme, token] = splitAuthorization(authorization);
    if (scheme !== 'bearer') {
      return null;
    }
    // A cached token answers at once; a miss (and every refusal) goes through fromPat.
    return this.principals.cachedPat(token) ?? this.principals.fromPat(token);
  }
}
