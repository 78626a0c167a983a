/** ZITADEL's `object.v2.Details`: `sequence` is a uint64, so a JSON string. */
export interface ZitadelDetails {
  sequence: string;
  changeDate: string;
  resourceOwner: string;
}

/** The answer of every write: details, and the plain code when `returnCode` asked for it. */
export interface ZitadelWriteResponse {
  details: ZitadelDetails;
  verificationCode?: string;
}

/** `user.v2.HumanProfile`. */
export interface ZitadelHumanProfile {
  givenName: string;
  familyName: string;
  nickName: string;
  displayName: string;
  preferredLanguage: string;
  gender: 'GENDER_UNSPECIFIED';
  avatarUrl: string;
}

/** `user.v2.HumanUser`. */
export interface ZitadelHumanUser {
  profile: ZitadelHumanProfile;
  email: { email: string; isVerified: boolean };
  phone: { phone: string; isVerified: boolean };
  passwordChangeRequired: boolean;
}

/** ZITADEL's user states that we can be in. */
export type ZitadelUserState = 'USER_STATE_ACTIVE' | 'USER_STATE_INACTIVE';

/** `user.v2.User` (human users only: we have no machine users). */
export interface ZitadelUser {
  userId: string;
  details: ZitadelDetails;
  state: ZitadelUserState;
  username: string;
  loginNames: string[];
  preferredLoginName: string;
  human: ZitadelHumanUser;
}

/** GetUserByIDResponse. */
export interface ZitadelGetUserResponse {
  details: ZitadelDetails;
  user: ZitadelUser;
}

/** AddHumanUserResponse: the new id, details, and the email code when `returnCode` asked for it. */
export interface ZitadelAddHumanUserResponse {
  userId: string;
  details: ZitadelDetails;
  emailCode?: string;
}
