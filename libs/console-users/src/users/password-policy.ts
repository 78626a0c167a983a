import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** Minimum and maximum password length in Unicode code points (NIST/ASVS: 8 and ≥ 64; we allow 128). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Checks a new password against the password policy (README): 8–128 characters, any Unicode, no
 * composition rules. Length is counted in code points so an emoji counts once.
 */
export function assertPasswordAcceptable(password: unknown): asserts password is string {
  if (typeof password !== 'string') {
    throw new DomainError(ErrorCode.BadRequest, 'Password is required.');
  }
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw new DomainError(
      ErrorCode.BadRequest,
      `The password length must be between ${PASSWORD_MIN_LENGTH} and ${PASSWORD_MAX_LENGTH} characters.`,
    );
  }
}
