/** What a code or link proves. Every face maps its own notion onto one of these. */
export enum VerificationPurpose {
  EmailVerify = 'email-verify',
  Register = 'register',
  ResetPassword = 'reset-password',
  Identity = 'identity',
  ChangeEmail = 'change-email',
  ChangePhone = 'change-phone',
  Login = 'login',
  Recovery = 'recovery',
}

/** Where a code or link is delivered. */
export enum VerificationChannel {
  Email = 'email',
  Sms = 'sms',
}

/** A short code typed by a person, or a long token carried in a link. */
export enum SecretKind {
  Code = 'code',
  Link = 'link',
}
