import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateUserDto } from './create-user.dto';

function problems(body: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(CreateUserDto, body), { stopAtFirstError: true }).flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('user field rules', () => {
  const valid = { name: 'alice', email: 'alice@example.test' };

  it('accept a minimal valid user, a host-only email domain and 63-character names', () => {
    expect(problems(valid)).toEqual([]);
    expect(problems({ ...valid, email: 'admin@localhost' })).toEqual([]);
    expect(problems({ ...valid, name: 'a'.repeat(63) })).toEqual([]);
    expect(problems({ ...valid, name: 'a.b-c.d9' })).toEqual([]);
  });

  it("enforce Halo's name pattern", () => {
    for (const name of ['Alice', 'a_b', '-a', 'a-', 'a..b', '.a', 'a b', 'ä']) {
      expect(problems({ ...valid, name }).length).toBe(1);
    }
  });

  it('count password length in characters, not UTF-16 units or bytes', () => {
    expect(problems({ ...valid, password: '😀'.repeat(8) })).toEqual([]);
    expect(problems({ ...valid, password: '😀'.repeat(7) }).length).toBe(1);
    expect(problems({ ...valid, password: '😀'.repeat(128) })).toEqual([]);
    expect(problems({ ...valid, password: '😀'.repeat(129) }).length).toBe(1);
  });

  it('refuse controls, bidi overrides and non-characters in display names, keep ZWJ/ZWNJ/LRM/RLM, allow newlines in bios', () => {
    for (const displayName of ['a\u0000', 'a\u001b[31m', 'a\u0085', 'a\u202Eb', 'a\u2066b', 'a\uFFFE']) {
      expect(problems({ ...valid, displayName }).length).toBe(1);
    }
    for (const displayName of ['Zoë 李 🙂', '👩🏽\u200D💻', 'a\u200Cb', 'a\u200Fb', 'a\u200Eb', 'e\u0301']) {
      expect(problems({ ...valid, displayName })).toEqual([]);
    }
    expect(problems({ ...valid, bio: 'one\ntwo\tthree' })).toEqual([]);
    expect(problems({ ...valid, bio: 'bell\u0007' }).length).toBe(1);
  });

  it('accept http(s) and local avatar references only', () => {
    for (const avatar of ['https://cdn.example.test/a.png', '/avatars/x.png', '']) {
      expect(problems({ ...valid, avatar })).toEqual([]);
    }
    for (const avatar of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '//evil.test/a.png', 'ftp://x/a.png', 'https://x/a b.png']) {
      expect(problems({ ...valid, avatar }).length).toBe(1);
    }
  });
});
