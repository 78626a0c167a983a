import { readCookie, serializeCookie } from './cookies';

/** What readCookie did before it walked the header in place: split, trim, decode. */
function bySplitting(header: string | undefined, name: string): string | undefined {
  if (!header) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

describe('readCookie', () => {
  it('finds a cookie among others, with or without spaces', () => {
    expect(readCookie('a=1; SESSION=abc; b=2', 'SESSION')).toBe('abc');
    expect(readCookie('SESSION=abc', 'SESSION')).toBe('abc');
    expect(readCookie('a=1;SESSION=abc;b=2', 'SESSION')).toBe('abc');
    expect(readCookie(' \tSESSION \t= abc \t;', 'SESSION')).toBe('abc');
  });

  it('answers undefined without the header, without the cookie, or for a longer or shorter name', () => {
    expect(readCookie(undefined, 'SESSION')).toBeUndefined();
    expect(readCookie('', 'SESSION')).toBeUndefined();
    expect(readCookie('XSESSION=1; SESSIONX=2; SESSIO=3', 'SESSION')).toBeUndefined();
    expect(readCookie('SESSION; other=1', 'SESSION')).toBeUndefined();
  });

  it('takes the first of two cookies of that name, and an empty value as empty', () => {
    expect(readCookie('SESSION=first; SESSION=second', 'SESSION')).toBe('first');
    expect(readCookie('SESSION=; a=1', 'SESSION')).toBe('');
  });

  it('percent-decodes the value, and keeps a value that does not decode as sent', () => {
    expect(readCookie('SESSION=a%20b%3Dc', 'SESSION')).toBe('a b=c');
    expect(readCookie('SESSION=100%', 'SESSION')).toBe('100%');
    expect(readCookie('SESSION=a=b', 'SESSION')).toBe('a=b');
  });

  it('answers as splitting the header would, for headers of every odd shape', () => {
    const pieces = ['SESSION', ' SESSION', 'SESSION ', '\u00a0SESSION', 'a', '=', '==', ';', ' ', '\t', 'x%41', '%', '%zz', 'v=1', 'SESSION=2', ''];
    let checked = 0;
    for (const first of pieces) {
      for (const second of pieces) {
        for (const third of pieces) {
          const header = `${first}${second}${third}`;
          expect([header, readCookie(header, 'SESSION')]).toEqual([header, bySplitting(header, 'SESSION')]);
          checked++;
        }
      }
    }
    expect(checked).toBe(pieces.length ** 3);
  });

  it('reads back what serializeCookie wrote', () => {
    const written = serializeCookie('SESSION', 'a b;c', { secure: true }).split(';')[0]!;
    expect(readCookie(`other=1; ${written}`, 'SESSION')).toBe('a b;c');
  });
});
