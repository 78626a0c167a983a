/** A practical single-address check: local@domain, no spaces, lists or line breaks. */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The lower-cased address if it is one valid email address, else null. */
export function normalizeEmail(raw: string): string | null {
  const trimmed = raw.trim();
  return trimmed.length <= 254 && EMAIL.test(trimmed) ? trimmed.toLowerCase() : null;
}

/** `a***@example.com`: enough for the owner to recognise, little for anyone else. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) {
    return '***';
  }
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
