import { Injectable } from '@nestjs/common';
import { accountOf, PasswordGuessBudget } from '../auth/password-guess-budget.service';
import { randomToken } from '../common/crypto';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { PasswordChangeUseCase } from './password-change.use-case';
import { assertPasswordAcceptable } from './password-policy';
import { SYSTEM_USER_NAMES } from './system-users';
import { UsersRepository } from './users.repository';

/** What an operator's reset did. */
export interface OperatorPasswordResetResult {
  name: string;
  /** The generated password when none was given: show it once, store it nowhere. */
  generatedPassword?: string;
}

/**
 * Sets a user's password on behalf of whoever runs the server's machine (a command, not an HTTP
 * route): the way back in when the only administrator lost its password and its address cannot
 * receive a reset mail. Like every password change it ends the user's sessions, tokens, recovery
 * links and reset codes, and leaves an audit event (`user.password.set`, `via: command-line`).
 * It also lifts the account's login lockout, so the new password works at once.
 */
@Injectable()
export class OperatorPasswordReset {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordChangeUseCase,
    private readonly guesses: PasswordGuessBudget,
  ) {}

  /** Resets `name`'s password to `password`, or to a generated one when it is undefined. */
  async reset(name: string, password?: string): Promise<OperatorPasswordResetResult> {
    const user = await this.users.findByName(name);
    if (!user || SYSTEM_USER_NAMES.includes(name)) {
      throw new DomainError(ErrorCode.UserNotFound, `No user is named "${name}".`);
    }
    const generatedPassword = password === undefined ? randomToken(18) : undefined;
    const chosen = password ?? generatedPassword!;
    assertPasswordAcceptable(chosen);
    const passwordHash = await this.passwords.hashPassword(chosen);
    // Sessions, tokens, recovery links and reset codes end in the same transaction as the change.
    const updated = await this.passwords.changePassword({
      userId: user.id,
      passwordHash,
      audit: { actor: null, action: 'user.password.set', details: { via: 'command-line' }, countRevoked: true },
    });
    await this.guesses.forgive(accountOf(user.id));
    return { name: updated.name, generatedPassword };
  }
}
