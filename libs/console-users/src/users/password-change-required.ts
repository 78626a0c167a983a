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
