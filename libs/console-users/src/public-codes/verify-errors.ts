import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/**
 * The engine's 429 on verification (too many failed codes for the account) tagged `verify`, so
 * faces can tell it from "sent too often" (Fresns 34306 vs 33201).
 */
export function tagVerifyLimit(error: unknown): unknown {
  if (error instanceof DomainError && error.code === ErrorCode.RateLimited && !error.options.reason) {
    return new DomainError(error.code, error.message, { ...error.options, reason: 'verify' });
  }
  return error;
}

/** A password policy failure tagged `password`, for faces with a code of their own for it. */
export function tagPasswordPolicy(error: unknown): unknown {
  if (error instanceof DomainError && error.code === ErrorCode.BadRequest && !error.options.reason) {
    return new DomainError(error.code, error.message, { ...error.options, reason: 'password' });
  }
  return error;
}
