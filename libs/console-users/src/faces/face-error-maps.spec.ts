import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { anqiEnvelopeOf } from './anqicms/anqicms-error.filter';
import { fresnsEnvelopeOf } from './fresns/fresns-error.filter';

describe('Fresns error envelope', () => {
  const sut = (code: ErrorCode, message = 'detail', reason?: string) => fresnsEnvelopeOf(new DomainError(code, message, { reason }));

  it('gives every error code a non-zero Fresns code and no data', () => {
    for (const code of Object.values(ErrorCode)) {
      const envelope = sut(code);
      assert.notEqual(envelope.code, 0, code);
      assert.equal(envelope.data, null);
    }
  });

  it('maps the codes of the contract', () => {
    assert.equal(sut(ErrorCode.Unauthenticated).code, 31501);
    assert.equal(sut(ErrorCode.ChannelUnavailable).code, 32100);
    assert.equal(sut(ErrorCode.RateLimited).code, 33201);
    assert.equal(sut(ErrorCode.VerificationFailed).code, 33203);
    assert.equal(sut(ErrorCode.VerificationAttemptsExceeded).code, 33203);
    assert.equal(sut(ErrorCode.UserNotFound).code, 34301);
  });

  it('refines by reason', () => {
    assert.deepEqual(sut(ErrorCode.BadRequest, 'account is required', 'missing'), { code: 30001, message: 'Parameter missing error', data: null });
    assert.equal(sut(ErrorCode.AddressInUse, 'x', 'email').code, 34205);
    assert.equal(sut(ErrorCode.AddressInUse, 'x', 'phone').code, 34206);
    assert.equal(sut(ErrorCode.UnsatisfiedAttribute, 'x', 'email').code, 34401);
    assert.equal(sut(ErrorCode.UnsatisfiedAttribute, 'x', 'phone').code, 34402);
    assert.equal(sut(ErrorCode.BadRequest, 'x', 'password').code, 34105);
    assert.equal(sut(ErrorCode.RateLimited, 'x', 'verify').code, 34306);
  });

  it('keeps the detail of parameter errors without a refinement, and only there', () => {
    assert.deepEqual(sut(ErrorCode.BadRequest, 'The phone number is not valid.', 'phone'), {
      code: 30002,
      message: 'Parameter values do not meet the requirements: The phone number is not valid.',
      data: null,
    });
    assert.equal(sut(ErrorCode.VerificationFailed, 'internal wording').message, 'Verify code incorrect or expired');
  });
});

describe('AnqiCMS error envelope', () => {
  const sut = (code: ErrorCode, message = 'detail') => anqiEnvelopeOf(new DomainError(code, message));

  it('gives every error code a non-zero AnqiCMS code', () => {
    for (const code of Object.values(ErrorCode)) {
      assert.notEqual(sut(code).code, 0, code);
    }
  });

  it('uses -1, 1001 and 1002 as AnqiCMS does', () => {
    assert.deepEqual(sut(ErrorCode.UserNotFound), { code: -1, msg: 'User does not exist' });
    assert.equal(sut(ErrorCode.Unauthenticated).code, 1001);
    assert.equal(sut(ErrorCode.Forbidden).code, 1002);
    assert.deepEqual(sut(ErrorCode.BadRequest, 'The email address is not valid.'), { code: -1, msg: 'The email address is not valid.' });
  });

  it('answers one text for every failed link', () => {
    assert.deepEqual(sut(ErrorCode.VerificationFailed, 'a'), sut(ErrorCode.VerificationAttemptsExceeded, 'b'));
  });
});
