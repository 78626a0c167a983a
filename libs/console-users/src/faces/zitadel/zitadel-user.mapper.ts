import { isPasswordChangeRequired } from '../../users/password-change-required';
import type { UserEntity } from '../../users/user.entity';
import type { ZitadelDetails, ZitadelUser } from './dto/zitadel-responses.dto';

/** Where ZITADEL's `changeRequired` is kept: the core's flag, enforced at every call. */
export { PASSWORD_CHANGE_REQUIRED_ANNOTATION } from '../../users/password-change-required';

/**
 * `details` of a user: our row version is the sequence (it grows with every write of the user,
 * as ZITADEL's event sequence does), the last write is the change date.
 */
export function toZitadelDetails(user: Pick<UserEntity, 'version' | 'updatedAt'>, resourceOwner: string): ZitadelDetails {
  return { sequence: String(user.version), changeDate: user.updatedAt.toISOString(), resourceOwner };
}

/** A user as ZITADEL's `user.v2.User` (always human); never a secret. */
export function toZitadelUser(user: UserEntity, resourceOwner: string): ZitadelUser {
  const details = toZitadelDetails(user, resourceOwner);
  return {
    userId: String(user.id),
    details,
    state: user.disabled ? 'USER_STATE_INACTIVE' : 'USER_STATE_ACTIVE',
    username: user.name,
    // A verified address is a login name too: POST /login accepts it.
    loginNames: user.verifiedEmail ? [user.name, user.verifiedEmail] : [user.name],
    preferredLoginName: user.name,
    human: {
      profile: {
        givenName: '',
        familyName: '',
        nickName: '',
        displayName: user.displayName,
        preferredLanguage: user.language ?? '',
        gender: 'GENDER_UNSPECIFIED',
        avatarUrl: user.avatar ?? '',
      },
      email: { email: user.email ?? '', isVerified: user.emailVerified },
      // We never verify phone numbers.
      phone: { phone: user.phone ?? '', isVerified: false },
      passwordChangeRequired: isPasswordChangeRequired(user),
    },
  };
}
