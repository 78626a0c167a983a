import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { isPasswordChangeRequired } from '../users/password-change-required';
import { UsersService } from '../users/users.service';
import type { UserRecord } from '../users/user-record-cache';
import { andThen, MaybePromise } from '../common/maybe-promise';
import { RouteMetadata } from '../common/route-metadata';
import { requestOf } from '../http/http-context';

const ALLOWED_WHILE_CHANGE_REQUIRED = 'console-users:allowed-while-password-change-required';

/**
 * Marks a route a user who must change their password may still call: changing it, and saying
 * who they are so a client can ask for the new one.
 */
export const AllowedWhilePasswordChangeRequired = (): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_WHILE_CHANGE_REQUIRED, true);

/**
 * Enforces a password given with "change required": the user's session (or token) may only call
 * the routes marked {@link AllowedWhilePasswordChangeRequired} until the password is changed;
 * everything else is 403 with reason `password-change-required`, which each face's filter renders
 * in its own format. Runs after the authentication guard (it reads the principal that one set) and
 * reads the flag from the user's record on every call: cached, but dropped by every write to the
 * user on this instance, so it takes effect and ends at once.
 */
@Injectable()
export class PasswordChangeRequiredGuard implements CanActivate {
  private readonly allowedWhileChangeRequired: RouteMetadata<boolean>;

  constructor(
    protected readonly reflector: Reflector,
    private readonly users: UsersService,
  ) {
    this.allowedWhileChangeRequired = new RouteMetadata(reflector, ALLOWED_WHILE_CHANGE_REQUIRED);
  }

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const principal = requestOf(context).consolePrincipal;
    if (principal?.kind !== 'user') {
      return true;
    }
    if (this.allowedWhileChangeRequired.of(context) === true) {
      return true;
    }
    // At once while the user's record is cached (nearly every request), else after reading it.
    return andThen<UserRecord | null, boolean>(this.users.cachedRecord(principal.name) ?? this.users.findRecord(principal.name), (record) => {
      if (record && isPasswordChangeRequired(record.view)) {
        throw passwordChangeRequired();
      }
      return true;
    });
  }
}

/** The refusal, in the core's terms (Forbidden, reason `password-change-required`). */
export function passwordChangeRequired(): DomainError {
  return new DomainError(ErrorCode.Forbidden, 'The password must be changed before anything else can be done.', {
    reason: 'password-change-required',
    // Halo's own "complete your profile first" refusal has a bare problem type of this kind.
    type: 'password-change-required',
  });
}
