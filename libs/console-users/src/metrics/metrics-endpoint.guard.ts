import { CanActivate, Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/**
 * Runs before authentication: while the endpoint is off it does not exist (404 for everybody),
 * rather than telling anonymous callers "401" about a route that serves nothing.
 */
@Injectable()
export class MetricsEndpointGuard implements CanActivate {
  constructor(@Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions) {}

  canActivate(): boolean {
    if (!this.options.metrics.endpoint) {
      throw new DomainError(ErrorCode.NotFound, 'No static resource actuator/prometheus.');
    }
    return true;
  }
}
