import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors/domain-error';
import { VerificationChannel } from '../verification/verification-purpose';
import { maskAddress, normalizeAddress, normalizePhone } from './addresses';

describe('normalizePhone', () => {
  const sut = normalizePhone;

  it('builds E.164 from a calling code and a national number', () => {
    assert.equal(sut(86, '13800138000'), '+8613800138000');
    assert.equal(sut('+1', '(201) 555-0123'), '+12015550123');
    assert.equal(sut('44', '07400 123456'), '+447400123456');
  });

  it('refuses invalid numbers, bad calling codes and numbers of another country', () => {
    assert.equal(sut(86, '123'), null);
    assert.equal(sut('abc', '13800138000'), null);
    assert.equal(sut(0, '13800138000'), null);
    assert.equal(sut(86, '+12015550123'), null, 'the number says +1, the calling code 86');
  });
});

describe('normalizeAddress', () => {
  const sut = normalizeAddress;

  it('lower-cases emails and tags bad ones with reason email', () => {
    assert.equal(sut(VerificationChannel.Email, ' Ann@Example.ORG '), 'ann@example.org');
    assert.throws(() => sut(VerificationChannel.Email, 'ann@'), (e: unknown) => e instanceof DomainError && e.options.reason === 'email');
  });

  it('asks for the calling code (missing) and refuses bad numbers (phone)', () => {
    assert.throws(() => sut(VerificationChannel.Sms, '13800138000'), (e: unknown) => e instanceof DomainError && e.options.reason === 'missing');
    assert.throws(() => sut(VerificationChannel.Sms, '12', 86), (e: unknown) => e instanceof DomainError && e.options.reason === 'phone');
  });
});

describe('maskAddress', () => {
  it('keeps only enough to recognise', () => {
    const sut = maskAddress;
    assert.equal(sut(VerificationChannel.Email, 'ann@example.org'), 'a***@example.org');
    assert.equal(sut(VerificationChannel.Sms, '+8613800138000'), '+86*******8000');
  });
});
