import type { SecretHasher } from './code-secrets';

/**
 * A 6-digit code bound to a link token by an HMAC under the server key, for faces whose links
 * carry a code beside the token (AnqiCMS). Checked for real and impossible to swap, yet no second
 * secret is stored: it travels in the same link and adds no entropy of its own. `context` keeps
 * one face's codes from matching another's.
 */
export function linkCode(hasher: SecretHasher, context: string, token: string): string {
  const mac = hasher.hashCode(`${context}:${token}`);
  return String(Number.parseInt(mac.slice(0, 12), 16) % 1_000_000).padStart(6, '0');
}
