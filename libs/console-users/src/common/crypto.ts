import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a UTF-8 string, hex encoded. Used for high-entropy secrets (session ids, tokens). */
export function sha256Hex(value: string): string {
  // The one-shot form: no Hash object per call (every authenticated request hashes its credential).
  return hash('sha256', value, 'hex');
}

/** HMAC-SHA-256 of a UTF-8 string under `key`, hex encoded. Used for low-entropy codes. */
export function hmacSha256Hex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/** `bytes` random bytes from the CSPRNG, base64url encoded. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time comparison of two hex or ASCII strings. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    return false;
  }
  return timingSafeEqual(left, right);
}
