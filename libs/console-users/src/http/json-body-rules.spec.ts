import { charsetOf, nestsDeeperThan, unsupportedCharset } from './json-body-rules';

describe('json body rules', () => {
  it('reads the charset parameter in any spelling', () => {
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf('application/json; charset=UTF-8')).toBe('utf-8');
    expect(charsetOf('application/json;CHARSET="utf-16"')).toBe('utf-16');
    expect(unsupportedCharset('application/json; charset=utf8')).toBeUndefined();
    expect(unsupportedCharset('application/json; charset=iso-8859-1')?.code).toBe('unsupported_media_type');
  });

  it('measures nesting without recursion, arrays and objects alike', () => {
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: [{}] }, 3)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    expect(nestsDeeperThan(deep, 32)).toBe(true);
  });
});
