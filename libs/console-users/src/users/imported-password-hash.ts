import { verify as verifyArgon2 } from '@node-rs/argon2';
import { compare as compareBcrypt } from 'bcryptjs';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { PasswordHasher } from './password-hasher';

/**
 * Marks a stored hash that came from another system (ZITADEL's `hashedPassword`). It is checked by
 * its own algorithm and replaced by a hash of ours at the first login that proves the password.
 */
const IMPORTED_PREFIX = 'imported:';

/** argon2id in PHC form: `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (base64 without padding). */
const ARGON2ID_PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;
/** bcrypt in modular crypt form: `$2a$`, `$2b$` or `$2y$`, the cost, 22 characters of salt, 31 of hash. */
const BCRYPT_MCF = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/**
 * Ceilings on the cost of an imported hash: it is computed at login, by anyone who tries a
 * password, so a hash built with 4 GiB of memory or bcrypt cost 20 would be a denial of service.
 */
const MAX_ARGON2_MEMORY_KIB = 262_144;
const MAX_ARGON2_TIME = 10;
const MAX_ARGON2_PARALLELISM = 16;
const MAX_BCRYPT_COST = 13;

/** Thrown for a hash we cannot or will not check. */
export function unsupportedImportedHash(detail: string): DomainError {
  return new DomainError(ErrorCode.BadRequest, `The password hash is not supported: ${detail}.`, { reason: 'hashed-password' });
}

/**
 * The stored form of a hash imported from elsewhere: argon2id (PHC string) or bcrypt, within the
 * cost ceilings; anything else is a 400. The hash itself is never echoed in the error.
 */
export function importedPasswordHash(hash: string): string {
  const argon2 = ARGON2ID_PHC.exec(hash);
  if (argon2) {
    const [memory, time, parallelism] = argon2.slice(1).map(Number) as [number, number, number];
    if (memory > MAX_ARGON2_MEMORY_KIB || time > MAX_ARGON2_TIME || parallelism > MAX_ARGON2_PARALLELISM || time < 1 || parallelism < 1) {
      throw unsupportedImportedHash(`argon2id with m ≤ ${MAX_ARGON2_MEMORY_KIB}, t ≤ ${MAX_ARGON2_TIME} and p ≤ ${MAX_ARGON2_PARALLELISM} only`);
    }
    return IMPORTED_PREFIX + hash;
  }
  const bcrypt = BCRYPT_MCF.exec(hash);
  if (bcrypt) {
    const cost = Number(bcrypt[1]);
    if (cost < 4 || cost > MAX_BCRYPT_COST) {
      throw unsupportedImportedHash(`bcrypt with a cost from 4 to ${MAX_BCRYPT_COST} only`);
    }
    return IMPORTED_PREFIX + hash;
  }
  throw unsupportedImportedHash('send an argon2id PHC string ($argon2id$v=19$…) or a bcrypt hash ($2a$, $2b$ or $2y$)');
}

/** True for a stored hash that came from elsewhere and awaits its first login to be rehashed. */
export function isImportedPasswordHash(stored: string | null | undefined): boolean {
  return typeof stored === 'string' && stored.startsWith(IMPORTED_PREFIX);
}

/** Checks a password against an imported hash by that hash's own algorithm. */
async function verifyImported(stored: string, password: string): Promise<boolean> {
  const hash = stored.slice(IMPORTED_PREFIX.length);
  try {
    return hash.startsWith('$argon2id$') ? await verifyArgon2(hash, password) : await compareBcrypt(password, hash);
  } catch {
    return false;
  }
}

/**
 * The module's hasher: the configured one (ours by default) for our hashes, the imported hash's
 * own algorithm for imported ones. Every place that checks a password (login, Basic, current
 * password) goes through it, so an imported password works everywhere until it is rehashed.
 */
export class ImportAwarePasswordHasher implements PasswordHasher {
  constructor(private readonly inner: PasswordHasher) {}

  hash(password: string): Promise<string> {
    return this.inner.hash(password);
  }

  decoy(): string | undefined {
    return this.inner.decoy?.();
  }

  verify(stored: string, password: string): Promise<boolean> {
    return isImportedPasswordHash(stored) ? verifyImported(stored, password) : this.inner.verify(stored, password);
  }
}
