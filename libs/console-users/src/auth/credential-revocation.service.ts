import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository';
import { PrincipalInvalidationService } from './principal-invalidation.service';
import { SessionsRepository } from './sessions.repository';

/**
 * Secrets that let their holder set a new password: they must die with the situation they were
 * issued for (the password, the enabled state, the address they were mailed to).
 */
export const ACCOUNT_RECOVERY_PURPOSES: readonly VerificationPurpose[] = [VerificationPurpose.Recovery, VerificationPurpose.ResetPassword];

/**
 * Ends every way a user is logged in: used when its password, roles or enabled state change,
 * so the next request with an old session or token gets 401.
 */
@Injectable()
export class CredentialRevocationService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly pats: PersonalAccessTokensRepository,
    private readonly verification: VerificationService,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    private readonly principals: PrincipalInvalidationService,
  ) {}

  /**
   * Revokes all sessions and tokens of the user, and its outstanding recovery links and reset
   * codes, inside the caller's transaction when given one. Call it when the password changes or
   * the user is disabled.
   */
  async revokeEverything(userId: number, manager?: EntityManager): Promise<{ sessions: number; tokens: number }> {
    const now = this.clock.now();
    this.principals.userChanged(userId, manager);
    const sessions = await this.sessions.revokeAllOfUser(userId, now, manager);
    const tokens = await this.pats.revokeAllOfUser(userId, now, manager);
    await this.revokeRecoverySecrets(userId, manager);
    return { sessions, tokens };
  }

  /**
   * Revokes the user's outstanding recovery links and reset codes only; for changes that keep
   * the user logged in but make those secrets stale, such as a new email address.
   */
  async revokeRecoverySecrets(userId: number, manager?: EntityManager): Promise<number> {
    return this.verification.revokeForUser(userId, [...ACCOUNT_RECOVERY_PURPOSES], manager);
  }

  /**
   * Deletes the sessions and tokens of a user that is being deleted, inside the caller's
   * transaction: revoked rows would otherwise outlive their owner (and could be restored).
   */
  async forgetUser(userId: number, manager: EntityManager): Promise<void> {
    this.principals.userChanged(userId, manager);
    await this.sessions.deleteAllOfUser(userId, manager);
    await this.pats.deleteAllOfUser(userId, manager);
  }
}
