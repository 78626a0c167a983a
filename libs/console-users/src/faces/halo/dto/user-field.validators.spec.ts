import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateUserDto } from './create-user.dto';

function problems(body: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(CreateUserDto, body), { stopAtFirstError: true }).flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('user field rules', () => {
  const valid = { name: 'alice', email: 'alice@example.test' };

  it('accept a minimal valid user, a host-only email domain and 63-character names', () => {
    assert.deepEqual(problems(valid), []);
    assert.deepEqual(problems({ ...valid, email: 'admin@localhost' }), []);
    assert.deepEqual(problems({ ...valid, name: 'a'.repeat(63) }), []);
    assert.deepEqual(problems({ ...valid, name: 'a.b-c.d9' }), []);
  });

  it("enforce Halo's name pattern", () => {
    for (const name of ['Alice', 'a_b', '-a', 'a-', 'a..b', '.a', 'a b', 'ä']) {
      assert.equal(problems({ ...valid, name }).length, 1, name);
    }
  });

  it('count password length in characters, not UTF-16 units or bytes', () => {
    assert.deepEqual(problems({ ...valid, password: '😀'.repeat(8) }), []);
    assert.equal(problems({ ...valid, password: '😀'.repeat(7) }).length, 1);
    assert.deepEqual(problems({ ...valid, password: '😀'.repeat(128) }), []);
    assert.equal(problems({ ...valid, password: '😀'.repeat(129) }).length, 1);
  });

  it('refuse control and invisible formatting characters in display names, allow newlines in bios', () => {
    for (const displayName of ['a\u0000', 'a\u001b[31m', 'a\u0085', 'a\u200Bb', 'a\u202Eb', 'a\uFEFF']) {
      assert.equal(problems({ ...valid, displayName }).length, 1, JSON.stringify(displayName));
    }
    assert.deepEqual(problems({ ...valid, displayName: 'Zoë 李 🙂' }), []);
    assert.deepEqual(problems({ ...valid, bio: 'one\ntwo\tthree' }), []);
    assert.equal(problems({ ...valid, bio: 'bell\u0007' }).length, 1);
  });

  it('accept http(s) and local avatar references only', () => {
    for (const avatar of ['https://cdn.example.test/a.png', '/avatars/x.png', '']) {
      assert.deepEqual(problems({ ...valid, avatar }), [], avatar);
    }
    for (const avatar of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '//evil.test/a.png', 'ftp://x/a.png', 'https://x/a b.png']) {
      assert.equal(problems({ ...valid, avatar }).length, 1, avatar);
    }
  });
});
