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
    this.dummyHash = this.hasher.decoy?.() ?? (await this.hasher.hash(randomToken(16)));
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
    const found = await this.find(login);
    if (!(await this.matches(found, password)) || !found) {
      return { user: null, accountName: found?.name ?? null };
    }
    return { user: found, accountName: found.name };
  }

  /**
   * The account a login name designates, with its password hash (a verified email first when
   * the name contains `@`), or null; compares nothing, so a caller can apply limits in between.
   */
  async find(login: string): Promise<UserEntity | null> {
    const trimmed = login.trim();
    if (trimmed.length === 0 || trimmed.length > 254) {
      return null;
    }
    const byEmail = trimmed.includes('@') ? await this.users.findWithPasswordByVerifiedEmail(trimmed.toLowerCase()) : null;
    return byEmail ?? (await this.users.findWithPasswordByName(trimmed));
  }

  /**
   * Whether `password` is the password of a user from {@link find}; a missing user or one
   * without a password is checked against a dummy hash (same time, same answer). Removes the
   * hash from the entity once compared.
   */
  async matches(user: UserEntity | null, password: string): Promise<boolean> {
    const matched = await this.hasher.verify(user?.passwordHash ?? this.dummyHash, password);
    const result = matched && !!user?.passwordHash;
    if (result && user?.passwordHash && isImportedPasswordHash(user.passwordHash)) {
      // The first login that proves an imported password replaces its hash with one of ours.
      await this.users.replacePasswordHash(user.id, user.passwordHash, await this.hasher.hash(password));
    }
    if (user) {
      delete user.passwordHash;
    }
    return result;
  }
}
