import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { assertPasswordAcceptable as sut } from './password-policy';

function refused(password: unknown): boolean {
  try {
    sut(password);
    return false;
  } catch (error) {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, ErrorCode.BadRequest);
    if (typeof password === 'string' && password !== '') {
      assert.equal(error.message.includes(password), false, 'the password is never echoed');
    }
    return true;
  }
}

describe('assertPasswordAcceptable', () => {
  it('accepts 8 to 128 characters', () => {
    assert.equal(refused('a'.repeat(8)), false);
    assert.equal(refused('a'.repeat(128)), false);
  });

  it('refuses fewer than 8 or more than 128', () => {
    assert.equal(refused(''), true);
    assert.equal(refused('a'.repeat(7)), true);
    assert.equal(refused('a'.repeat(129)), true);
  });

  it('counts an emoji (two UTF-16 units) once', () => {
    const key = '🔑';
    assert.equal(key.length, 2);
    assert.equal(refused(key.repeat(4)), true, '4 characters although 8 UTF-16 units');
    assert.equal(refused(key.repeat(8)), false);
    assert.equal(refused(key.repeat(128)), false, '128 characters although 256 UTF-16 units');
    assert.equal(refused(key.repeat(129)), true);
  });

  it('accepts any Unicode and imposes no composition rules', () => {
    for (const password of ['password', 'пароль-пароль', '密码密码密码密码', 'with spaces in it', '        ']) {
      assert.equal(refused(password), false, password);
    }
  });

  it('refuses anything that is not a string', () => {
    for (const value of [undefined, null, 12345678, ['password'], { password: 'password' }]) {
      assert.equal(refused(value), true, JSON.stringify(value));
    }
  });

  it('says what the rule is', () => {
    assert.throws(() => sut('short'), /between 8 and 128 characters/);
  });
});
