import { hash as argon2 } from '@node-rs/argon2';
import { hashSync } from 'bcryptjs';
import { Argon2idPasswordHasher } from './password-hasher';
import { ImportAwarePasswordHasher, importedPasswordHash, isImportedPasswordHash } from './imported-password-hash';

describe('imported password hashes', () => {
  const sut = new ImportAwarePasswordHasher(new Argon2idPasswordHasher());

  it('checks argon2id PHC strings and bcrypt hashes by their own algorithm', async () => {
    const phc = await argon2('imported secret', { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    for (const stored of [importedPasswordHash(phc), importedPasswordHash(hashSync('imported secret', 4))]) {
      expect(isImportedPasswordHash(stored)).toBe(true);
      expect(await sut.verify(stored, 'imported secret')).toBe(true);
      expect(await sut.verify(stored, 'wrong secret')).toBe(false);
    }
  });

  it('passes the configured hasher’s decoy through, and verifies it with that hasher', async () => {
    const decoy = sut.decoy();
    expect(decoy).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(isImportedPasswordHash(decoy)).toBe(false);
    expect(await sut.verify(decoy!, 'any password')).toBe(false);
    expect(new ImportAwarePasswordHasher({ hash: async () => 'h', verify: async () => false }).decoy()).toBeUndefined();
  });

  it('leaves our own hashes to the configured hasher', async () => {
    const ours = await sut.hash('our secret');
    expect(isImportedPasswordHash(ours)).toBe(false);
    expect(await sut.verify(ours, 'our secret')).toBe(true);
  });

  it.each([
    ['plain text', 'secret'],
    ['MD5 crypt', '$1$abcdefgh$abcdefghijklmnopqrstuv'],
    ['argon2i', '$argon2i$v=19$m=4096,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2g'],
    ['argon2id with 4 GiB of memory', '$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2g'],
    ['bcrypt cost 20', `$2b$20$${'a'.repeat(53)}`],
  ])('refuses %s with a 400 that does not echo the hash', (_, hash) => {
    expect(() => importedPasswordHash(hash)).toThrow(/not supported/);
    try {
      importedPasswordHash(hash);
    } catch (error) {
      expect((error as Error).message).not.toContain(hash);
    }
  });
});
