import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import type { ConsoleRequest } from '../../http/http-types';
import type { UserEntity } from '../../users/user.entity';
import { authenticateRequest, CONSOLE_USERS_AUTHENTICATOR, ConsoleAuthenticator } from './console-authenticator';
import { CONSOLE_LOCAL_STRATEGY } from './strategy-names';

/** The request of `POST /login` once {@link ConsoleLocalAuthGuard} has checked its credentials. */
export interface LoginRequest extends ConsoleRequest {
  consoleLoginUser?: UserEntity;
}

/**
 * Checks the login form with the `console-local` strategy and leaves the user on
 * `request.consoleLoginUser` for the login route. Missing fields are the same 401 as a wrong
 * password; the per-IP throttle and body rules run before it.
 */
@Injectable()
export class ConsoleLocalAuthGuard implements CanActivate {
  constructor(@Inject(CONSOLE_USERS_AUTHENTICATOR) private readonly authenticator: ConsoleAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<LoginRequest>();
    const user = await authenticateRequest(this.authenticator, CONSOLE_LOCAL_STRATEGY, request, http.getResponse());
    if (!user) {
      throw new DomainError(ErrorCode.InvalidCredentials, 'The username or password is incorrect.');
    }
    request.consoleLoginUser = user as UserEntity;
    return true;
  }
}
