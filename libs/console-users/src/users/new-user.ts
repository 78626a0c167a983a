import type { UserEntity } from './user.entity';

/** A user to insert: the entity without what the database and the repository fill in. */
export type NewUser = Omit<UserEntity, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'displayNameLower' | 'emailLower' | 'verifiedEmail'>;

/**
 * A new user with Halo's defaults (enabled, no password, no email, no profile, no labels),
 * overridden by `fields`; `displayName` defaults to the name.
 */
export function newUser(fields: Pick<NewUser, 'name'> & Partial<NewUser>): NewUser {
  return {
    displayName: fields.name,
    email: null,
    emailVerified: false,
    avatar: null,
    phone: null,
    bio: null,
    passwordHash: null,
    totpEncryptedSecret: null,
    twoFactorAuthEnabled: null,
    disabled: false,
    registeredAt: null,
    loginHistoryLimit: null,
    language: null,
    labels: {},
    annotations: {},
    ...fields,
  };
}
