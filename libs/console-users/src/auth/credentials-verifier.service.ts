import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomToken } from '../common/crypto';
import { isImportedPasswordHash } from '../users/imported-password-hash';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from '../users/password-hasher';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';

/**
 * Checks a login name and password. Unknown users are checked against a dummy hash so they take
 * as long as a wrong password and get the same answer (no user enumeration by timing).
 */
@Injectable()
export class CredentialsVerifier implements OnModuleInit {
  private dummyHash = '';

  constructor(
    private readonly users: UsersRepository,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hasher.hash(randomToken(16));
  }

  /**
   * The user when the password matches, else null. A login name containing `@` is first tried
   * as a verified email, as Halo does.
   */
  async verify(login: string, password: string): Promise<UserEntity | null> {
    return (await this.check(login, password)).user;
  }

  /**
   * Like {@link verify}, and also names the account the login matched even when the password
   * was wrong, so a failure can be audited against a real account instead of whatever was typed
   * (people type passwords into the name field).
   */
  async check(login: string, password: string): Promise<{ user: UserEntity | null; accountName: string | null }> {
    const trimmed = login.trim();
    let user: UserEntity | null = null;
    if (trimmed.length > 0 && trimmed.length <= 254) {
      user = trimmed.includes('@') ? await this.users.findWithPasswordByVerifiedEmail(trimmed.toLowerCase()) : null;
      user ??= await this.users.findWithPasswordByName(trimmed);
    }
    const hash = user?.passwordHash ?? this.dummyHash;
    const matches = await this.hasher.verify(hash, password);
    if (!user || !user.passwordHash || !matches) {
      return { user: null, accountName: user?.name ?? null };
    }
    if (isImportedPasswordHash(user.passwordHash)) {
      // The first login that proves an imported password replaces its hash with one of ours.
      await this.users.replacePasswordHash(user.id, user.passwordHash, await this.hasher.hash(password));
    }
    delete user.passwordHash;
    return { user, accountName: user.name };
  }
}
