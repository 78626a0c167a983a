import type { StringMap } from '../common/json-map';
import { PASSWORD_CHANGE_REQUIRED_ANNOTATION } from './password-change-required';

/** Annotation naming the avatar file this server stores for the user (Halo's attachment annotation). */
export const AVATAR_ANNOTATION = 'halo.run/avatar-attachment-name';

/** Annotation holding the address a Halo user asked to verify, until a code proves it. */
export const EMAIL_TO_VERIFY_ANNOTATION = 'halo.run/email-to-verify';

/**
 * Annotations only the server writes. Halo forces the first three back on UpdateCurrentUser; we do
 * the same on every write, and drop them from CreateUser, so a client can never point a user at
 * another user's avatar file (which a later avatar change would delete).
 */
export const SERVER_MANAGED_ANNOTATIONS: readonly string[] = [
  AVATAR_ANNOTATION,
  'halo.run/last-avatar-attachment-name',
  EMAIL_TO_VERIFY_ANNOTATION,
  // Set and lifted by password operations only: a profile edit must not lift it.
  PASSWORD_CHANGE_REQUIRED_ANNOTATION,
];

/** `incoming` with the server-managed keys taken from `stored` (or dropped when not stored). */
export function withServerManagedAnnotations(incoming: StringMap, stored: StringMap): StringMap {
  const result: StringMap = { ...incoming };
  for (const key of SERVER_MANAGED_ANNOTATIONS) {
    delete result[key];
    if (stored[key] !== undefined) {
      result[key] = stored[key]!;
    }
  }
  return result;
}
