import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** Shortest recovery link lifetime an admin may choose. */
export const MIN_RECOVERY_TOKEN_MS = 5 * 60_000;
/** Longest recovery link lifetime an admin may choose (NIST 800-63-4 draft: email confirmation ≤ 24 h). */
export const MAX_RECOVERY_TOKEN_MS = 24 * 3_600_000;
/** Lifetime when nothing else says. */
export const DEFAULT_RECOVERY_TOKEN_MS = 60 * 60_000;

/**
 * Reads a lifetime written in a face's notation (authentik's `hours=1;minutes=30`, which email
 * stages store as sent) into milliseconds, throwing the face's 400 for one it cannot read. The
 * core calls it where the rules place the check (after the target checks, inside a stage's field
 * checks), so a bad value never masks another refusal; it never parses a notation itself.
 */
export type LifetimeReader = (expression: string) => number;

/** 400 unless `ms` is a recovery link lifetime (5 minutes to 24 hours); returns it. */
export function assertRecoveryLifetime(ms: number): number {
  if (!Number.isFinite(ms) || ms < MIN_RECOVERY_TOKEN_MS || ms > MAX_RECOVERY_TOKEN_MS) {
    throw new DomainError(ErrorCode.BadRequest, 'The token duration must be between 5 minutes and 24 hours.');
  }
  return ms;
}
