import type { DetailedUser, Role } from '@halo-dev/api-client';
import { computed, ref } from 'vue';
import { consoleUsers } from '../api/clients';

/** Who is logged in and which UI permissions their roles grant (Halo's ui-permissions annotations). */
const current = ref<DetailedUser | null>(null);
const uiPermissions = ref<string[]>([]);
const ownRoles = ref<Role[]>([]);

export async function loadSession(): Promise<boolean> {
  const { data } = await consoleUsers.getCurrentUserDetail();
  if (data.user.metadata.name === 'anonymousUser') {
    clearSession();
    return false;
  }
  current.value = data;
  const { data: permissions } = await consoleUsers.getPermissions({ name: '-' });
  uiPermissions.value = permissions.uiPermissions ?? [];
  ownRoles.value = permissions.roles ?? [];
  return true;
}

export function clearSession(): void {
  current.value = null;
  uiPermissions.value = [];
  ownRoles.value = [];
}

export function useSession() {
  return {
    current,
    ownRoles,
    name: computed(() => current.value?.user.metadata.name ?? ''),
    can,
  };
}

/** True when the user holds one of the permissions (or `*`, super-role's wildcard). */
export function can(...required: string[]): boolean {
  const held = uiPermissions.value;
  return held.includes('*') || required.some((permission) => held.includes(permission));
}
