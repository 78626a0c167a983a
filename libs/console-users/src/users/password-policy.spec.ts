import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { assertPasswordAcceptable as sut } from './password-policy';

function refused(password: unknown): boolean {
  try {
    sut(password);
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BadRequest);
    if (typeof password === 'string' && password !== '') {
      expect((error as DomainError).message.includes(password)).toBe(false); // the password is never echoed
    }
    return true;
  }
}

describe('assertPasswordAcceptable', () => {
  it('accepts 8 to 128 characters', () => {
    expect(refused('a'.repeat(8))).toBe(false);
    expect(refused('a'.repeat(128))).toBe(false);
  });

  it('refuses fewer than 8 or more than 128', () => {
    expect(refused('')).toBe(true);
    expect(refused('a'.repeat(7))).toBe(true);
    expect(refused('a'.repeat(129))).toBe(true);
  });

  it('counts an emoji (two UTF-16 units) once', () => {
    const key = '🔑';
    expect(key.length).toBe(2);
    expect(refused(key.repeat(4))).toBe(true); // 4 characters although 8 UTF-16 units
    expect(refused(key.repeat(8))).toBe(false);
    expect(refused(key.repeat(128))).toBe(false); // 128 characters although 256 UTF-16 units
    expect(refused(key.repeat(129))).toBe(true);
  });

  it('accepts any Unicode and imposes no composition rules', () => {
    for (const password of ['password', 'пароль-пароль', '密码密码密码密码', 'with spaces in it', '        ']) {
      expect(refused(password)).toBe(false);
    }
  });

  it('refuses anything that is not a string', () => {
    for (const value of [undefined, null, 12345678, ['password'], { password: 'password' }]) {
      expect(refused(value)).toBe(true);
    }
  });

  it('says what the rule is', () => {
    expect(() => sut('short')).toThrow(/between 8 and 128 characters/);
  });
});
