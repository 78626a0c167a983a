import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository';
import { SessionsRepository } from './sessions.repository';

/**
 * Ends every way a user is logged in: used when its password, roles or enabled state change,
 * so the next request with an old session or token gets 401.
 */
@Injectable()
export class CredentialRevocationService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly pats: PersonalAccessTokensRepository,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  /** Revokes all sessions and tokens of the user, inside the caller's transaction when given one. */
  async revokeEverything(userId: number, manager?: EntityManager): Promise<{ sessions: number; tokens: number }> {
    const now = this.clock.now();
    const sessions = await this.sessions.revokeAllOfUser(userId, now, manager);
    const tokens = await this.pats.revokeAllOfUser(userId, now, manager);
    return { sessions, tokens };
  }

  /**
   * Deletes the sessions and tokens of a user that is being deleted, inside the caller's
   * transaction: revoked rows would otherwise outlive their owner (and could be restored).
   */
  async forgetUser(userId: number, manager: EntityManager): Promise<void> {
    await this.sessions.deleteAllOfUser(userId, manager);
    await this.pats.deleteAllOfUser(userId, manager);
  }
}
