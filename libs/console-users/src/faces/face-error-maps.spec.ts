import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { anqiEnvelopeOf } from './anqicms/anqicms-error.filter';
import { fresnsEnvelopeOf } from './fresns/fresns-error.filter';

describe('Fresns error envelope', () => {
  const sut = (code: ErrorCode, message = 'detail', reason?: string) => fresnsEnvelopeOf(new DomainError(code, message, { reason }));

  it('gives every error code a non-zero Fresns code and no data', () => {
    for (const code of Object.values(ErrorCode)) {
      const envelope = sut(code);
      expect(envelope.code).not.toBe(0);
      expect(envelope.data).toBe(null);
    }
  });

  it('maps the codes of the contract', () => {
    expect(sut(ErrorCode.Unauthenticated).code).toBe(31501);
    expect(sut(ErrorCode.ChannelUnavailable).code).toBe(32100);
    expect(sut(ErrorCode.RateLimited).code).toBe(33201);
    expect(sut(ErrorCode.VerificationFailed).code).toBe(33203);
    expect(sut(ErrorCode.VerificationAttemptsExceeded).code).toBe(33203);
    expect(sut(ErrorCode.UserNotFound).code).toBe(34301);
  });

  it('refines by reason', () => {
    expect(sut(ErrorCode.BadRequest, 'account is required', 'missing')).toEqual({ code: 30001, message: 'Parameter missing error', data: null });
    expect(sut(ErrorCode.AddressInUse, 'x', 'email').code).toBe(34205);
    expect(sut(ErrorCode.AddressInUse, 'x', 'phone').code).toBe(34206);
    expect(sut(ErrorCode.UnsatisfiedAttribute, 'x', 'email').code).toBe(34401);
    expect(sut(ErrorCode.UnsatisfiedAttribute, 'x', 'phone').code).toBe(34402);
    expect(sut(ErrorCode.BadRequest, 'x', 'password').code).toBe(34105);
    expect(sut(ErrorCode.RateLimited, 'x', 'verify').code).toBe(34306);
  });

  it('keeps the detail of parameter errors without a refinement, and only there', () => {
    expect(sut(ErrorCode.BadRequest, 'The phone number is not valid.', 'phone')).toEqual({
      code: 30002,
      message: 'Parameter values do not meet the requirements: The phone number is not valid.',
      data: null,
    });
    expect(sut(ErrorCode.VerificationFailed, 'internal wording').message).toBe('Verify code incorrect or expired');
  });
});

describe('AnqiCMS error envelope', () => {
  const sut = (code: ErrorCode, message = 'detail') => anqiEnvelopeOf(new DomainError(code, message));

  it('gives every error code a non-zero AnqiCMS code', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(sut(code).code).not.toBe(0);
    }
  });

  it('uses -1, 1001 and 1002 as AnqiCMS does', () => {
    expect(sut(ErrorCode.UserNotFound)).toEqual({ code: -1, msg: 'User does not exist' });
    expect(sut(ErrorCode.Unauthenticated).code).toBe(1001);
    expect(sut(ErrorCode.Forbidden).code).toBe(1002);
    expect(sut(ErrorCode.BadRequest, 'The email address is not valid.')).toEqual({ code: -1, msg: 'The email address is not valid.' });
  });

  it('answers one text for every failed link', () => {
    expect(sut(ErrorCode.VerificationFailed, 'a')).toEqual(sut(ErrorCode.VerificationAttemptsExceeded, 'b'));
  });
});
