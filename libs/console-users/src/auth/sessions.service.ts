import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { randomToken, sha256Hex } from '../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { PrincipalInvalidationService } from './principal-invalidation.service';
import { LiveSession, SessionsRepository } from './sessions.repository';

/** Activity is written at most this often per session. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
const TOUCH_INTERVAL_MS = SESSION_TOUCH_INTERVAL_MS;

/** Issues, resolves and revokes login sessions. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    private readonly principals: PrincipalInvalidationService,
  ) {}

  /**
   * Starts a session; returns the cookie value, which is never stored. A "remember me" session
   * lives `session.rememberMeTimeoutMs` without an idle timeout; any other one ends after the idle
   * timeout or the absolute lifetime, whichever comes first.
   */
  async start(userId: number, ip: string | null, userAgent: string | null, rememberMe = false): Promise<string> {
    const token = randomToken(32);
    const now = this.clock.now();
    const lifetime = rememberMe ? this.options.session.rememberMeTimeoutMs : this.options.session.absoluteTimeoutMs;
    await this.sessions.create({
      tokenHash: sha256Hex(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + lifetime),
      rememberMe,
      ip: ip?.slice(0, 64) ?? null,
      userAgent: userAgent?.slice(0, 512) ?? null,
    });
    return token;
  }

  /**
   * The live session for a cookie value, with its owner's id, name and disabled flag read in the
   * same statement; null when unknown, revoked, idle too long or expired.
   */
  async resolve(token: string): Promise<LiveSession | null> {
    if (token.length < 20 || token.length > 100) {
      return null;
    }
    const session = await this.sessions.findLiveWithOwner(sha256Hex(token));
    if (!session) {
      return null;
    }
    const now = this.clock.now();
    const idleEnd = session.lastSeenAt.getTime() + this.options.session.idleTimeoutMs;
    if (now >= session.expiresAt || (!session.rememberMe && now.getTime() >= idleEnd)) {
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.sessions.touch(session.id, now, new Date(now.getTime() - TOUCH_INTERVAL_MS));
    }
    return session;
  }

  async end(sessionId: number): Promise<void> {
    await this.sessions.revoke(sessionId, this.clock.now());
    this.principals.sessionEnded(sessionId);
  }

  /** Max-Age of a "remember me" cookie (the server enforces the real limit). */
  get rememberMeMaxAgeSeconds(): number {
    return Math.floor(this.options.session.rememberMeTimeoutMs / 1000);
  }
}
