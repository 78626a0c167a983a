import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/**
 * Deepest nesting of arrays and objects a JSON body may have. No face's request nests deeper than
 * a handful of levels; validation (class-transformer) recurses per level and overflows the stack
 * a few thousand levels down, so deeper bodies are refused before it runs.
 */
export const JSON_MAX_DEPTH = 32;

/**
 * The `charset` parameter of a Content-Type header, lower-cased and unquoted, or undefined when
 * there is none.
 */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) {
    return undefined;
  }
  for (const parameter of contentType.split(';').slice(1)) {
    const eq = parameter.indexOf('=');
    if (eq !== -1 && parameter.slice(0, eq).trim().toLowerCase() === 'charset') {
      return parameter
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
    }
  }
  return undefined;
}

/**
 * A 415 when the header names a charset other than UTF-8: the body is always read as UTF-8, so a
 * UTF-16 or Latin-1 body would be silently misread. No charset means UTF-8 (RFC 8259).
 */
export function unsupportedCharset(contentType: string | undefined): DomainError | undefined {
  const charset = charsetOf(contentType);
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') {
    return undefined;
  }
  return new DomainError(ErrorCode.UnsupportedMediaType, `Charset '${charset.slice(0, 40)}' is not supported; send the body as UTF-8.`);
}

/**
 * True when `value` nests arrays/objects deeper than `max` levels (a scalar is level 0, `{}` 1).
 * Iterative, so an absurdly deep body cannot overflow the stack here either; stops at the first
 * branch over the limit.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') {
      continue;
    }
    if (depth + 1 > max) {
      return true;
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

/** A 400 when the parsed body nests deeper than {@link JSON_MAX_DEPTH}. */
export function tooDeep(body: unknown, max = JSON_MAX_DEPTH): DomainError | undefined {
  return nestsDeeperThan(body, max)
    ? new DomainError(ErrorCode.BadRequest, `The JSON body must not nest arrays and objects more than ${max} levels deep.`)
    : undefined;
}
