import { randomBytes } from 'node:crypto';
import { PayloadCipher } from './payload-cipher';

describe('PayloadCipher', () => {
  const sut = new PayloadCipher(randomBytes(32));

  it('gives back what it sealed, and seals the same value differently each time (a fresh IV)', () => {
    const value = { code: '123456', to: 'ada@example.com' };
    const sealed = Array.from({ length: 500 }, () => sut.encrypt(value));
    expect(sealed.map((s) => sut.decrypt(s))).toEqual(sealed.map(() => value));
    expect(new Set(sealed.map((s) => s.split('.')[0])).size).toBe(500);
    expect(sealed[0]).not.toContain('123456');
  });

  it('refuses a changed ciphertext and another key', () => {
    const sealed = sut.encrypt({ code: '123456' });
    const [iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => sut.decrypt([iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new PayloadCipher(randomBytes(32)).decrypt(sealed)).toThrow();
  });
});
