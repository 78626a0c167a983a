import type { SecretHasher } from '../../verification/code-secrets';

/**
 * The 6-digit code AnqiCMS puts next to the token in its links. Ours is bound to the token by an
 * HMAC under the server key (so it is checked for real and cannot be swapped), rather than a
 * second secret stored beside it: it travels in the same link and adds no entropy of its own.
 */
export function linkCode(hasher: SecretHasher, token: string): string {
  const mac = hasher.hashCode(`anqicms-link-code:${token}`);
  return String(Number.parseInt(mac.slice(0, 12), 16) % 1_000_000).padStart(6, '0');
}
