import { Inject, Injectable, Optional } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';
import type { UserEntity } from '../users/user.entity';
import { ConsoleUsersMetrics } from '../metrics/console-users-metrics';
import { CredentialsVerifier } from './credentials-verifier.service';
import { DeviceCookies } from './device-cookies';
import { accountOf, comparedOrReleased, PasswordGuessBudget, unknownAccountOf } from './password-guess-budget.service';
import { SessionsService } from './sessions.service';

/** What a successful login yields. */
export interface LoginResult {
  username: string;
  roles: string[];
  /** The session cookie value; only ever sent to the client. */
  sessionToken: string;
  /** A new device cookie value for the browser ({@link DeviceCookies}). */
  deviceCookie: string;
  /** Max-Age of the cookie; absent for a browser-session cookie. */
  cookieMaxAgeSeconds?: number;
}

/** Where the login came from. */
export interface LoginContext {
  ip: string;
  userAgent: string | null;
  /** Halo's `remember-me`: a long-lived session with a persistent cookie. */
  rememberMe?: boolean;
  /** The device cookie the client sent, if any: a known client keeps its own failure budget. */
  deviceCookie?: string | null;
}

/** How the credentials arrived: the login route, or an `Authorization: Basic` header. */
export type CredentialChannel = 'form' | 'basic';

const MINUTE = 60_000;

/**
 * Password login under the failure budget per account and client (device cookies). The per-IP limit of `POST /login` is the route's
 * throttler guard; HTTP Basic, which has no route of its own, gets an equivalent here.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly credentials: CredentialsVerifier,
    private readonly sessions: SessionsService,
    private readonly limits: RateLimitRepository,
    private readonly budget: PasswordGuessBudget,
    private readonly devices: DeviceCookies,
    private readonly bindings: RoleBindingsRepository,
    private readonly audit: AuditService,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    @Optional() private readonly metrics?: ConsoleUsersMetrics,
  ) {}

  async login(username: unknown, password: unknown, context: LoginContext): Promise<LoginResult> {
    const user = await this.authenticate(username, password, context, 'form');
    return this.startSession(user, context);
  }

  /**
   * Opens a session for a user whose credentials {@link authenticate} accepted (the
   * `console-local` strategy, on `POST /login`), and records the login.
   */
  async startSession(user: UserEntity, context: LoginContext): Promise<LoginResult> {
    const rememberMe = context.rememberMe === true;
    const sessionToken = await this.sessions.start(user.id, context.ip || null, context.userAgent, rememberMe);
    await this.audit.record({
      actor: user.name,
      action: 'login',
      target: user.name,
      ip: context.ip,
      outcome: 'success',
      ...(rememberMe ? { details: { rememberMe: 'true' } } : {}),
    });
    const roles = await this.bindings.roleNamesOf(user.name);
    const deviceCookie = this.devices.issue(user.id);
    return { username: user.name, roles, sessionToken, deviceCookie, ...(rememberMe ? { cookieMaxAgeSeconds: this.sessions.rememberMeMaxAgeSeconds } : {}) };
  }

  /**
   * Checks a username and password under the failure budget of {@link PasswordGuessBudget}
   * (per account and client; a failure is reserved before comparing). HTTP Basic comes through
   * here too, so switching it on opens no way around the limits. Basic repeats the credentials
   * on every request, so only its failures count against the client address, as many a minute
   * as the login route allows attempts.
   */
  async authenticate(username: unknown, password: unknown, context: LoginContext, via: CredentialChannel): Promise<UserEntity> {
    const now = this.clock.now();
    const basicIpKey = `login:basic-fail:${context.ip}`;
    if (via === 'basic') {
      const perIp = await this.limits.peek(basicIpKey, now);
      if (perIp.hits >= this.options.throttling.login.perMinute) {
        this.refused('login-basic-per-ip');
        throw rateLimitedError(perIp.resetAt, now);
      }
    }
    if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') {
      this.metrics?.loginFailed('malformed');
      return this.fail(via, basicIpKey, now);
    }
    const found = await this.credentials.find(username);
    const reservation = await this.reserveGuess(found, username, context);
    const matched = await comparedOrReleased(reservation, () => this.credentials.matches(found, password));
    const details: Record<string, string> = via === 'basic' ? { method: 'basic' } : {};
    if (!matched || !found) {
      // Only a real account name is recorded: a typed name may be someone's password.
      await this.audit.record({
        actor: null,
        action: 'login',
        target: found?.name ?? null,
        ip: context.ip,
        outcome: 'failure',
        details: found ? details : { ...details, reason: 'unknown-account' },
      });
      this.metrics?.loginFailed('bad-credentials');
      return this.fail(via, basicIpKey, now);
    }
    await reservation.release();
    const user = found;
    if (user.disabled) {
      await this.audit.record({
        actor: user.name,
        action: 'login',
        target: user.name,
        ip: context.ip,
        outcome: 'denied',
        details: { reason: 'disabled', ...details },
      });
      this.metrics?.loginFailed('disabled');
      throw new DomainError(ErrorCode.AccountDisabled, 'The account is disabled.');
    }
    return user;
  }

  /** One failure reserved in the guess budget (see {@link PasswordGuessBudget}); a refusal is counted. */
  private async reserveGuess(found: UserEntity | null, username: string, context: LoginContext) {
    try {
      return await this.budget.reserve(found ? accountOf(found.id) : unknownAccountOf(username), {
        ip: context.ip,
        knownClientKey: found ? this.devices.deviceKeyFor(context.deviceCookie, found.id) : null,
      });
    } catch (error) {
      this.refused('login-per-account');
      throw error;
    }
  }

  /** A login refused by a limit is a failed login too, and a refusal of that limit. */
  private refused(limit: string): void {
    this.metrics?.loginFailed('rate-limited');
    this.metrics?.rateLimited(limit);
  }

  private async fail(via: CredentialChannel, basicIpKey: string, now: Date): Promise<never> {
    if (via === 'basic') {
      await this.limits.hit(basicIpKey, MINUTE, now);
    }
    throw new DomainError(ErrorCode.InvalidCredentials, 'The username or password is incorrect.');
  }
}

