import { DomainError } from '../errors/domain-error';
import { VerificationChannel } from '../verification/verification-purpose';
import { maskAddress, normalizeAddress, normalizePhone } from './addresses';

describe('normalizePhone', () => {
  const sut = normalizePhone;

  it('builds E.164 from a calling code and a national number', () => {
    expect(sut(86, '13800138000')).toBe('+8613800138000');
    expect(sut('+1', '(201) 555-0123')).toBe('+12015550123');
    expect(sut('44', '07400 123456')).toBe('+447400123456');
  });

  it('refuses invalid numbers, bad calling codes and numbers of another country', () => {
    expect(sut(86, '123')).toBe(null);
    expect(sut('abc', '13800138000')).toBe(null);
    expect(sut(0, '13800138000')).toBe(null);
    expect(sut(86, '+12015550123')).toBe(null); // the number says +1, the calling code 86
  });
});

describe('normalizeAddress', () => {
  const sut = normalizeAddress;

  function expectRefused(normalize: () => unknown, reason: string): void {
    expect(normalize).toThrow(DomainError);
    expect(normalize).toThrow(expect.objectContaining({ options: expect.objectContaining({ reason }) }));
  }

  it('lower-cases emails and tags bad ones with reason email', () => {
    expect(sut(VerificationChannel.Email, ' Ann@Example.ORG ')).toBe('ann@example.org');
    expectRefused(() => sut(VerificationChannel.Email, 'ann@'), 'email');
  });

  it('asks for the calling code (missing) and refuses bad numbers (phone)', () => {
    expectRefused(() => sut(VerificationChannel.Sms, '13800138000'), 'missing');
    expectRefused(() => sut(VerificationChannel.Sms, '12', 86), 'phone');
  });
});

describe('maskAddress', () => {
  it('keeps only enough to recognise', () => {
    const sut = maskAddress;
    expect(sut(VerificationChannel.Email, 'ann@example.org')).toBe('a***@example.org');
    expect(sut(VerificationChannel.Sms, '+8613800138000')).toBe('+86*******8000');
  });
});
