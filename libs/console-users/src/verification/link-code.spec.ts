import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callsOf, strictMock } from '../../../../test/support/strict-mock';
import type { SecretHasher } from './code-secrets';
import { linkCode } from './link-code';

describe('linkCode', () => {
  it('is six digits taken from the HMAC of context and token', () => {
    const hasher = strictMock<SecretHasher>('SecretHasher', { hashCode: () => '00000000000f' + 'a'.repeat(52) });
    assert.equal(linkCode(hasher, 'anqicms-link-code', 'tok'), '000015');
    assert.deepEqual(callsOf(hasher.hashCode), [['anqicms-link-code:tok']]);
  });

  it('keeps the low six digits of a large MAC prefix, zero-padded', () => {
    const hasher = strictMock<SecretHasher>('SecretHasher', { hashCode: () => 'ffffffffffff' });
    assert.equal(linkCode(hasher, 'c', 't'), String(0xffffffffffff % 1_000_000).padStart(6, '0'));
  });
});
