import { hkdfSync } from 'node:crypto';

/** Purposes of keys derived from APP_SECRET; each purpose gets an independent key. */
export type KeyPurpose = 'code-hmac' | 'outbox-payload' | 'device-cookie';

/**
 * Derives a 32-byte key for one purpose from the application secret (HKDF-SHA-256), so a key
 * leaked from one use does not unlock another.
 */
export function deriveKey(appSecret: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, Buffer.from('console-users'), Buffer.from(purpose), 32));
}
