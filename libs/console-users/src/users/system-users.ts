import { NewUser, newUser } from './new-user';

/** Label Halo puts on its system users. */
export const HIDDEN_USER_LABEL = 'halo.run/hidden-user';

/** Halo's built-in `anonymousUser`, which `GET /users/-` returns to anonymous callers. */
export const ANONYMOUS_USER_NAME = 'anonymousUser';
/** Halo's built-in `ghost`, the owner of content whose author was deleted. */
export const GHOST_USER_NAME = 'ghost';

export const SYSTEM_USER_NAMES: readonly string[] = [ANONYMOUS_USER_NAME, GHOST_USER_NAME];

/** The system users as Halo ships them: hidden, disabled, without a password. */
export const SYSTEM_USERS: NewUser[] = [
  systemUser(ANONYMOUS_USER_NAME, 'Anonymous User', 'anonymous@example.com'),
  systemUser(GHOST_USER_NAME, 'Ghost', 'ghost@example.com'),
];

function systemUser(name: string, displayName: string, email: string): NewUser {
  return newUser({ name, displayName, email, disabled: true, labels: { [HIDDEN_USER_LABEL]: 'true' } });
}
