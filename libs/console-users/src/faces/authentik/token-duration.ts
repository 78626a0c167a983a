import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { assertRecoveryLifetime } from '../../recovery/recovery-lifetime';

const MS_PER_UNIT: Record<string, number> = {
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
  microseconds: 0.001,
};

export { DEFAULT_RECOVERY_TOKEN_MS, MAX_RECOVERY_TOKEN_MS, MIN_RECOVERY_TOKEN_MS } from '../../recovery/recovery-lifetime';

const NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * Parses authentik's duration form, `unit=value` pairs joined by `;` (`hours=1;minutes=30`), into
 * milliseconds. Stricter than authentik, which skips unknown units: a typo such as `hour=2` is an
 * error here rather than a silently shorter lifetime.
 */
export function parseDuration(expression: string): number {
  const invalid = () =>
    new DomainError(
      ErrorCode.BadRequest,
      'Invalid duration: use unit=value pairs separated by ";" (units: weeks, days, hours, minutes, seconds), e.g. "hours=1;minutes=30".',
    );
  if (typeof expression !== 'string' || expression.length > 100) {
    throw invalid();
  }
  const pairs = expression
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (pairs.length === 0) {
    throw invalid();
  }
  const seen = new Set<string>();
  let total = 0;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw invalid();
    }
    const unit = pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1).trim();
    const factor = MS_PER_UNIT[unit];
    if (factor === undefined || seen.has(unit) || !NUMBER.test(value)) {
      throw invalid();
    }
    seen.add(unit);
    total += Number(value) * factor;
  }
  return Math.round(total);
}

/** A recovery link lifetime: {@link parseDuration} within 5 minutes and 24 hours. */
export function parseRecoveryTokenDuration(expression: string): number {
  return assertRecoveryLifetime(parseDuration(expression));
}
