import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { ConsoleRequest, headerValue } from '../../http/http-types';
import type { Principal } from '../principal';
import { PrincipalResolver, splitAuthorization } from '../principal-resolver.service';
import { CONSOLE_USERS_AUTHENTICATOR, ConsoleAuthenticator } from './console-authenticator';
import { CONSOLE_REQUEST_STRATEGY, ConsoleRequestStrategy } from './console-request-strategy';
import { CONSOLE_BASIC_STRATEGY } from './strategy-names';

/**
 * `console-basic`: `Authorization: Basic` credentials, when the `basicAuth` option is on (it
 * passes otherwise, as when no such header is sent). The password is checked by the login
 * use-case, so every wrong one counts towards the account and client limits like a failed form
 * login, and it fails the request (401) rather than falling through to anonymous access.
 */
@Injectable()
export class ConsoleBasicStrategy extends PassportStrategy(Strategy, CONSOLE_BASIC_STRATEGY) implements ConsoleRequestStrategy {
  readonly [CONSOLE_REQUEST_STRATEGY] = true as const;

  constructor(
    private readonly principals: PrincipalResolver,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    @Inject(CONSOLE_USERS_AUTHENTICATOR) authenticator: ConsoleAuthenticator,
  ) {
    super();
    authenticator.use(CONSOLE_BASIC_STRATEGY, this);
  }

  validate(request: ConsoleRequest): Promise<Principal> | null {
    const authorization = headerValue(request, 'authorization');
    if (!authorization || !this.options.basicAuth) {
      return null;
    }
    const [scheme, encoded] = splitAuthorization(authorization);
    return scheme === 'basic' ? this.principals.fromBasic(encoded, request) : null;
  }
}
