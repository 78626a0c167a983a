import { randomInt } from 'node:crypto';
import { hmacSha256Hex, randomToken, safeEqual, sha256Hex } from '../common/crypto';

/** A 6-digit code from the CSPRNG, zero-padded (≈ 19.9 bits; attempts are capped). */
export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A link token: 32 random bytes, base64url. */
export function generateLinkToken(): string {
  return randomToken(32);
}

/**
 * Hashes for storage: codes are low-entropy, so they get a keyed HMAC (a leaked table cannot be
 * brute-forced offline without the key); link tokens are 256-bit, a plain SHA-256 suffices.
 */
export class SecretHasher {
  constructor(private readonly hmacKey: Buffer) {}

  hashCode(code: string): string {
    return hmacSha256Hex(this.hmacKey, code);
  }

  hashLinkToken(token: string): string {
    return sha256Hex(token);
  }

  /** Constant-time check of a typed code against a stored hash. */
  codeMatches(code: string, storedHash: string): boolean {
    return safeEqual(this.hashCode(code), storedHash);
  }
}
