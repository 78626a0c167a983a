import type { PasswordHasher } from '../users/password-hasher';
import type { UsersRepository } from '../users/users.repository';
import { CredentialsVerifier } from './credentials-verifier.service';

/** A hasher port that records what it was asked; `decoy` is present only when given. */
function recordingHasher(decoy?: () => string | undefined): PasswordHasher & { hashed: number; verified: string[] } {
  const hasher = {
    hashed: 0,
    verified: [] as string[],
    hash: async (password: string) => {
      hasher.hashed++;
      return `hashed:${password}`;
    },
    verify: async (stored: string) => {
      hasher.verified.push(stored);
      return false;
    },
    ...(decoy ? { decoy } : {}),
  };
  return hasher;
}

const noUsers = { findWithPasswordByName: async () => null, findWithPasswordByVerifiedEmail: async () => null } as unknown as UsersRepository;

describe('CredentialsVerifier: the hash an unknown login name is checked against', () => {
  it('takes the hasher’s decoy and hashes nothing at boot', async () => {
    const hasher = recordingHasher(() => 'decoy-hash');
    const sut = new CredentialsVerifier(noUsers, hasher);
    await sut.onModuleInit();
    expect(hasher.hashed).toBe(0);
    expect(await sut.verify('nobody', 'a password')).toBeNull();
    expect(hasher.verified).toEqual(['decoy-hash']);
  });

  it('hashes a random password once at boot when the hasher has no decoy', async () => {
    for (const hasher of [recordingHasher(), recordingHasher(() => undefined)]) {
      const sut = new CredentialsVerifier(noUsers, hasher);
      await sut.onModuleInit();
      expect(hasher.hashed).toBe(1);
      expect(await sut.verify('nobody', 'a password')).toBeNull();
      expect(hasher.verified).toHaveLength(1);
      expect(hasher.verified[0]).toMatch(/^hashed:/);
    }
  });
});
