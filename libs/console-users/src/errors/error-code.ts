/**
 * Every failure the core can report. Each face maps every code to its own wire format in one
 * exhaustive table (`satisfies Record<ErrorCode, …>`), so adding a code forces a decision per face.
 */
export enum ErrorCode {
  /** Malformed or invalid input; the detail says what. */
  BadRequest = 'bad_request',
  /** Credentials missing or no longer valid. */
  Unauthenticated = 'unauthenticated',
  /** Username/password did not match (the same answer for unknown users). */
  InvalidCredentials = 'invalid_credentials',
  /** Correct credentials for a disabled account. */
  AccountDisabled = 'account_disabled',
  /** A bearer token that is unknown, revoked or expired. */
  InvalidToken = 'invalid_token',
  /** Authenticated but not allowed. */
  Forbidden = 'forbidden',
  /** A user that does not exist. */
  UserNotFound = 'user_not_found',
  /** Any other named resource that does not exist. */
  NotFound = 'not_found',
  /** A name that is already taken. */
  DuplicateName = 'duplicate_name',
  /** A restricted (reserved) name. */
  RestrictedName = 'restricted_name',
  /** An optimistic-lock conflict or a concurrent change. */
  Conflict = 'conflict',
  /** A request attribute that fails a rule (old password mismatch and the like). */
  UnsatisfiedAttribute = 'unsatisfied_attribute',
  /** Too many requests; carries a retry-after. */
  RateLimited = 'rate_limited',
  /** Body larger than the route accepts. */
  PayloadTooLarge = 'payload_too_large',
  /** Body in a media type the route does not accept. */
  UnsupportedMediaType = 'unsupported_media_type',
  /** A code or link that is wrong, expired, used or replaced (one answer for all, no oracle). */
  VerificationFailed = 'verification_failed',
  /** A code whose wrong tries are used up. */
  VerificationAttemptsExceeded = 'verification_attempts_exceeded',
  /**
   * The right code, already used: a late duplicate of a successful submit. Told apart so a client
   * that double-submits learns it already succeeded; it counts as no failure.
   */
  VerificationCodeUsed = 'verification_code_used',
  /**
   * An email address or phone number another account already holds (registration, binding).
   * `reason` says which: `email` or `phone`.
   */
  AddressInUse = 'address_in_use',
  /** A delivery channel (email, SMS) the host has not enabled for public codes. */
  ChannelUnavailable = 'channel_unavailable',
  /**
   * A dependency (the database, Redis) is down or frozen: the request did nothing and may be
   * retried after `retryAfterSeconds`. Raised from infrastructure errors by the faces' filters.
   */
  ServiceUnavailable = 'service_unavailable',
}
