import type { UserEntity } from './user.entity';

/**
 * A user as the core hands it out: the profile and account state, never the password hash or
 * the TOTP secret, never the entity. Faces map it to their own user shapes.
 */
export interface UserView {
  id: number;
  name: string;
  displayName: string;
  avatar: string | null;
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
  bio: string | null;
  registeredAt: Date | null;
  twoFactorAuthEnabled: boolean | null;
  disabled: boolean;
  loginHistoryLimit: number | null;
  language: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Copies the public fields of a row, one by one, so a new column never leaks by default. */
export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    name: user.name,
    displayName: user.displayName,
    avatar: user.avatar,
    email: user.email,
    emailVerified: user.emailVerified,
    phone: user.phone,
    bio: user.bio,
    registeredAt: user.registeredAt,
    twoFactorAuthEnabled: user.twoFactorAuthEnabled,
    disabled: user.disabled,
    loginHistoryLimit: user.loginHistoryLimit,
    language: user.language,
    labels: { ...user.labels },
    annotations: { ...user.annotations },
    version: user.version,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
