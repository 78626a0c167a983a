import { strictMock } from '../../../../test/support/strict-mock';
import type { SecretHasher } from './code-secrets';
import { linkCode } from './link-code';

describe('linkCode', () => {
  it('is six digits taken from the HMAC of context and token', () => {
    const hasher = strictMock<SecretHasher>('SecretHasher', { hashCode: () => '00000000000f' + 'a'.repeat(52) });
    expect(linkCode(hasher, 'anqicms-link-code', 'tok')).toBe('000015');
    expect(jest.mocked(hasher.hashCode).mock.calls).toEqual([['anqicms-link-code:tok']]);
  });

  it('keeps the low six digits of a large MAC prefix, zero-padded', () => {
    const hasher = strictMock<SecretHasher>('SecretHasher', { hashCode: () => 'ffffffffffff' });
    expect(linkCode(hasher, 'c', 't')).toBe(String(0xffffffffffff % 1_000_000).padStart(6, '0'));
  });
});
