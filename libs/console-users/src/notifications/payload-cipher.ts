import { createCipheriv, createDecipheriv } from 'node:crypto';
import { RandomBytesPool } from '../common/random-pool';

/**
 * AES-256-GCM for outbox payloads: the code sits encrypted in the row until the worker sends it.
 * Format: base64url(iv).base64url(tag).base64url(ciphertext).
 */
export class PayloadCipher {
  /** IVs are public (they travel with the ciphertext): drawn from a pool, each used once. */
  private readonly ivs = new RandomBytesPool();

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) {
      throw new Error('PayloadCipher needs a 32-byte key');
    }
  }

  encrypt(value: unknown): string {
    const iv = this.ivs.take(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
  }

  decrypt<T>(sealed: string): T {
    const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !tag || !data) {
      throw new Error('malformed payload');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')) as T;
  }
}
