import type { UserView } from '../../users/user-view';
import type { HaloUser } from './dto/halo-user.dto';
import { ANONYMOUS_USER_NAME, SYSTEM_USER_NAMES } from '../../users/system-users';

/**
 * A user row as Halo's `User`. The password hash and TOTP secret are never part of it
 * (a deliberate fix: Halo echoes them).
 */
export function toHaloUser(user: Omit<UserView, 'id' | 'language' | 'updatedAt'>, publicUrl: string): HaloUser {
  const system = SYSTEM_USER_NAMES.includes(user.name);
  return {
    apiVersion: 'v1alpha1',
    kind: 'User',
    metadata: {
      name: user.name,
      ...(Object.keys(user.labels).length > 0 ? { labels: { ...user.labels } } : {}),
      annotations: { ...user.annotations },
      version: user.version,
      creationTimestamp: user.createdAt.toISOString(),
      finalizers: system ? ['system-protection', 'user-protection'] : ['user-protection'],
    },
    spec: {
      displayName: user.displayName,
      ...(user.avatar !== null ? { avatar: user.avatar } : {}),
      ...(user.email !== null ? { email: user.email } : {}),
      emailVerified: user.emailVerified,
      ...(user.phone !== null ? { phone: user.phone } : {}),
      ...(user.bio !== null ? { bio: user.bio } : {}),
      ...(user.registeredAt ? { registeredAt: user.registeredAt.toISOString() } : {}),
      ...(user.twoFactorAuthEnabled !== null ? { twoFactorAuthEnabled: user.twoFactorAuthEnabled } : {}),
      disabled: user.disabled,
      ...(user.loginHistoryLimit !== null ? { loginHistoryLimit: user.loginHistoryLimit } : {}),
    },
    status: user.name === ANONYMOUS_USER_NAME ? {} : { permalink: `${publicUrl}/authors/${encodeURIComponent(user.name)}` },
  };
}
