/**
 * A pattern that finds a numeric code in a log only where it stands on its own.
 *
 * The log is full of hex request ids and millisecond timestamps, and a six-digit code turns up
 * inside them by chance (a UUID such as `…-9f1078748c2e` holds "078748"). A leaked code is written
 * as a value — `code=078748`, `"078748"`, `code 078748.` — so it is bounded by punctuation or
 * space, never by a letter, a digit or a decimal point followed by more digits.
 */
export function standaloneCode(code: string): RegExp {
  if (!/^\d+$/.test(code)) throw new Error(`standaloneCode expects digits, got ${JSON.stringify(code)}`);
  return new RegExp(`(?<![0-9A-Za-z_.])${code}(?![0-9A-Za-z_]|\\.[0-9])`);
}
