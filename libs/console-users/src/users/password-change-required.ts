import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { UserEntity } from './user.entity';

/**
 * Annotation set when a password was given to a user on the condition that they replace it
 * (ZITADEL's `changeRequired`). While it is set, the user's credentials may do nothing but change
 * the password; every password change clears it unless the change sets it again.
 */
export const PASSWORD_CHANGE_REQUIRED_ANNOTATION = 'console.users/password-change-required';

/** True when the user must change their password before doing anything else. */
export function isPasswordChangeRequired(user: Pick<UserEntity, 'annotations'>): boolean {
  return user.annotations?.[PASSWORD_CHANGE_REQUIRED_ANNOTATION] === 'true';
}

/** The annotations without the flag (for a password change that fulfils it). */
export function withoutPasswordChangeRequired(annotations: Record<string, string>): Record<string, string> {
  const { [PASSWORD_CHANGE_REQUIRED_ANNOTATION]: _fulfilled, ...rest } = annotations;
  return rest;
}

/**
 * A change the flag asks for must replace the password the user was given: sending it back as the
 * "new" one would keep a password someone else knows (Keycloak's update-password action refuses it
 * too). Checked after the current password was verified, so it tells nothing to a guesser.
 */
export function assertReplacesGivenPassword(user: Pick<UserEntity, 'annotations'>, current: string, next: string): void {
  if (isPasswordChangeRequired(user) && current === next) {
    throw new DomainError(ErrorCode.BadRequest, 'The new password must differ from the password you were given: choose one of your own.');
  }
}
