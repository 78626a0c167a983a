/** Characters `String.prototype.trim` removes that a header (Latin-1 text) can hold. */
function isTrimmed(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
}

/**
 * Reads one cookie from a `Cookie` header without any plugin, so Express and Fastify hosts behave
 * alike: the first pair whose trimmed name is `name`, its trimmed value percent-decoded (left as
 * sent when it does not decode). Every authenticated request reads its session cookie here, so it
 * walks the header in place instead of splitting it into strings.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) {
    return undefined;
  }
  const length = header.length;
  for (let start = 0; start < length; ) {
    let end = header.indexOf(';', start);
    if (end === -1) {
      end = length;
    }
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      let nameStart = start;
      let nameEnd = eq;
      while (nameStart < nameEnd && isTrimmed(header.charCodeAt(nameStart))) nameStart++;
      while (nameEnd > nameStart && isTrimmed(header.charCodeAt(nameEnd - 1))) nameEnd--;
      if (nameEnd - nameStart === name.length && header.startsWith(name, nameStart)) {
        let valueStart = eq + 1;
        let valueEnd = end;
        while (valueStart < valueEnd && isTrimmed(header.charCodeAt(valueStart))) valueStart++;
        while (valueEnd > valueStart && isTrimmed(header.charCodeAt(valueEnd - 1))) valueEnd--;
        const raw = header.slice(valueStart, valueEnd);
        if (!raw.includes('%')) {
          return raw;
        }
        try {
          return decodeURIComponent(raw);
        } catch {
          return raw;
        }
      }
    }
    start = end + 1;
  }
  return undefined;
}

/** Options of a `Set-Cookie` header value. */
export interface CookieOptions {
  maxAgeSeconds?: number;
  secure: boolean;
  path?: string;
}

/** Serializes a session-style cookie: HttpOnly, SameSite=Lax, Secure on https. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${options.maxAgeSeconds}`);
    if (options.maxAgeSeconds === 0) {
      parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    }
  }
  if (options.secure) {
    parts.push('Secure');
  }
  return parts.join('; ');
}
