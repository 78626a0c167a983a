import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { parseDuration, parseRecoveryTokenDuration } from './token-duration';

function rejects(call: () => unknown, message: RegExp): void {
  expect(call).toThrow(DomainError);
  expect(call).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest, message: expect.stringMatching(message) }));
}

describe('parseDuration (authentik unit=value;… form)', () => {
  const sut = parseDuration;

  it('reads one pair', () => {
    expect(sut('hours=1')).toBe(3_600_000);
    expect(sut('minutes=5')).toBe(300_000);
    expect(sut('days=1')).toBe(86_400_000);
    expect(sut('weeks=1')).toBe(7 * 86_400_000);
    expect(sut('seconds=90')).toBe(90_000);
  });

  it('adds several pairs, ignores spaces, case and a trailing separator', () => {
    expect(sut('hours=1;minutes=30')).toBe(5_400_000);
    expect(sut(' Hours = 2 ; MINUTES=1 ; ')).toBe(2 * 3_600_000 + 60_000);
  });

  it('accepts decimal values as authentik does', () => {
    expect(sut('hours=1.5')).toBe(5_400_000);
    expect(sut('milliseconds=1500')).toBe(1_500);
  });

  it('rejects unknown units, repeated units, missing values and junk', () => {
    for (const bad of ['', ';', 'hour=1', 'hours=1;hours=2', 'hours=', '=5', 'hours', 'hours=-1', 'hours=1e3', 'hours=one', 'P1D', 'hours=1,minutes=2']) {
      rejects(() => sut(bad), /Invalid duration/);
    }
  });

  it('rejects very long expressions without looking at them', () => {
    rejects(() => sut(`minutes=1;${' '.repeat(200)}`), /Invalid duration/);
  });

  it('rejects a non-string', () => {
    rejects(() => sut(42 as unknown as string), /Invalid duration/);
  });
});

describe('parseRecoveryTokenDuration (5 min – 24 h)', () => {
  const sut = parseRecoveryTokenDuration;

  it('accepts both bounds', () => {
    expect(sut('minutes=5')).toBe(5 * 60_000);
    expect(sut('hours=24')).toBe(24 * 3_600_000);
    expect(sut('days=1')).toBe(24 * 3_600_000);
    expect(sut('hours=23;minutes=59;seconds=59')).toBe(24 * 3_600_000 - 1_000);
  });

  it('rejects just outside the bounds', () => {
    rejects(() => sut('minutes=4;seconds=59'), /between 5 minutes and 24 hours/);
    rejects(() => sut('hours=24;seconds=1'), /between 5 minutes and 24 hours/);
    rejects(() => sut('days=3'), /between 5 minutes and 24 hours/);
    rejects(() => sut('seconds=0'), /between 5 minutes and 24 hours/);
  });

  it('still rejects malformed expressions as malformed', () => {
    rejects(() => sut('hour=1'), /Invalid duration/);
  });
});
