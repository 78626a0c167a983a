import type { DetailedUser, Role } from '@halo-dev/api-client';
import { computed, ref } from 'vue';
import { consoleUsers } from '../api/clients';
import { isPasswordChangeRequiredError } from '../api/http';

/**
 * The annotation the server sets on a user whose password was given on the condition that they
 * replace it (an administrator's temporary password). While it is set, the server refuses every
 * call of the user's session except "who am I" and the own password change.
 */
export const PASSWORD_CHANGE_REQUIRED_ANNOTATION = 'console.users/password-change-required';

/** Who is logged in and which UI permissions their roles grant (Halo's ui-permissions annotations). */
const current = ref<DetailedUser | null>(null);
const uiPermissions = ref<string[]>([]);
const ownRoles = ref<Role[]>([]);
const passwordChangeRequired = ref(false);

export async function loadSession(): Promise<boolean> {
  const { data } = await consoleUsers.getCurrentUserDetail();
  if (data.user.metadata.name === 'anonymousUser') {
    clearSession();
    return false;
  }
  current.value = data;
  passwordChangeRequired.value = data.user.metadata.annotations?.[PASSWORD_CHANGE_REQUIRED_ANNOTATION] === 'true';
  if (passwordChangeRequired.value) {
    // The server would refuse the permissions call too; the user may see nothing until the change.
    uiPermissions.value = [];
    ownRoles.value = [];
    return true;
  }
  const permissions = await consoleUsers.getPermissions({ name: '-' }).then(
    ({ data }) => data,
    (error: unknown) => {
      // The flag was set between the two calls.
      if (isPasswordChangeRequiredError(error)) {
        return null;
      }
      throw error;
    },
  );
  if (!permissions) {
    markPasswordChangeRequired();
    return true;
  }
  uiPermissions.value = permissions.uiPermissions ?? [];
  ownRoles.value = permissions.roles ?? [];
  return true;
}

export function clearSession(): void {
  current.value = null;
  uiPermissions.value = [];
  ownRoles.value = [];
  passwordChangeRequired.value = false;
}

/** The server refused a call because the password must be changed (the flag was set mid-session). */
export function markPasswordChangeRequired(): void {
  passwordChangeRequired.value = true;
  uiPermissions.value = [];
  ownRoles.value = [];
}

/** True while the current user must choose a new password before doing anything else. */
export function mustChangePassword(): boolean {
  return passwordChangeRequired.value;
}

export function useSession() {
  return {
    current,
    ownRoles,
    name: computed(() => current.value?.user.metadata.name ?? ''),
    passwordChangeRequired: computed(() => passwordChangeRequired.value),
    can,
  };
}

/** True when the user holds one of the permissions (or `*`, super-role's wildcard). */
export function can(...required: string[]): boolean {
  const held = uiPermissions.value;
  return held.includes('*') || required.some((permission) => held.includes(permission));
}

const REMEMBER_ME_KEY = 'console.rememberMe';

/**
 * Keeps the "Remember me" choice of the last login (not a secret), so a login the console makes
 * on the user's behalf (after a required password change ended the session) keeps it.
 */
export function rememberLoginChoice(rememberMe: boolean): void {
  localStorage.setItem(REMEMBER_ME_KEY, String(rememberMe));
}

export function lastLoginRemembered(): boolean {
  return localStorage.getItem(REMEMBER_ME_KEY) === 'true';
}
