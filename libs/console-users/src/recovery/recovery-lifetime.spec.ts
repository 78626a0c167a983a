import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { assertRecoveryLifetime, MAX_RECOVERY_TOKEN_MS, MIN_RECOVERY_TOKEN_MS } from './recovery-lifetime';

describe('assertRecoveryLifetime (5 min – 24 h, whatever notation a face reads it from)', () => {
  it('passes the bounds and what lies between', () => {
    for (const ms of [MIN_RECOVERY_TOKEN_MS, 3_600_000, MAX_RECOVERY_TOKEN_MS]) {
      expect(assertRecoveryLifetime(ms)).toBe(ms);
    }
  });

  it('refuses anything outside, and non-numbers, with a 400', () => {
    for (const ms of [MIN_RECOVERY_TOKEN_MS - 1, MAX_RECOVERY_TOKEN_MS + 1, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => assertRecoveryLifetime(ms)).toThrow(DomainError);
      try {
        assertRecoveryLifetime(ms);
      } catch (error) {
        expect(error).toMatchObject({ code: ErrorCode.BadRequest });
      }
    }
  });
});
