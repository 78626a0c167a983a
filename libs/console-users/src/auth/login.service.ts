import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { sha256Hex } from '../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import type { UserEntity } from '../users/user.entity';
import { CredentialsVerifier } from './credentials-verifier.service';
import { SessionsService } from './sessions.service';

/** What a successful login yields. */
export interface LoginResult {
  username: string;
  roles: string[];
  /** The session cookie value; only ever sent to the client. */
  sessionToken: string;
}

/** Where the login came from. */
export interface LoginContext {
  ip: string;
  userAgent: string | null;
}

/** Password login (form and HTTP Basic) with per-IP and per-account throttling. */
@Injectable()
export class LoginService {
  constructor(
    private readonly credentials: CredentialsVerifier,
    private readonly sessions: SessionsService,
    private readonly limits: RateLimitRepository,
    private readonly bindings: RoleBindingsRepository,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async login(username: unknown, password: unknown, context: LoginContext): Promise<LoginResult> {
    const user = await this.authenticate(username, password, context, 'form');
    const sessionToken = await this.sessions.start(user.id, context.ip || null, context.userAgent);
    const roles = await this.bindings.roleNamesOf(user.name);
    return { username: user.name, roles, sessionToken };
  }

  /**
   * Checks a username and password under the login limits. HTTP Basic comes through here too,
   * so switching it on opens no way around the limits; it repeats the credentials on every
   * request, so there only failures count against the client address.
   */
  async authenticate(username: unknown, password: unknown, context: LoginContext, via: 'form' | 'basic'): Promise<UserEntity> {
    const now = this.clock.now();
    const { ipAttempts, ipWindowMs, accountFailures, accountWindowMs } = this.options.loginLimits;
    const ipKey = `login:ip:${context.ip}`;

    const perIp = via === 'form' ? await this.limits.hit(ipKey, ipWindowMs, now) : await this.limits.peek(ipKey, now);
    const attempts = via === 'form' ? perIp.hits : perIp.hits + 1;
    if (attempts > ipAttempts) {
      throw rateLimited(perIp.resetAt, now);
    }
    if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') {
      return this.fail(via, ipKey, undefined, now);
    }
    // Keyed on a hash so the bucket table never holds login names typed by strangers.
    const accountKey = `login:fail:${sha256Hex(username.trim().toLowerCase())}`;
    const failures = await this.limits.peek(accountKey, now);
    if (failures.hits >= accountFailures) {
      throw rateLimited(failures.resetAt, now);
    }

    const user = await this.credentials.verify(username, password);
    if (!user) {
      return this.fail(via, ipKey, accountKey, now);
    }
    if (user.disabled) {
      throw new DomainError(ErrorCode.AccountDisabled, 'The account is disabled.');
    }
    return user;
  }

  private async fail(via: 'form' | 'basic', ipKey: string, accountKey: string | undefined, now: Date): Promise<never> {
    const { ipWindowMs, accountWindowMs } = this.options.loginLimits;
    if (via === 'basic') {
      await this.limits.hit(ipKey, ipWindowMs, now);
    }
    if (accountKey !== undefined) {
      await this.limits.hit(accountKey, accountWindowMs, now);
    }
    throw new DomainError(ErrorCode.InvalidCredentials, 'The username or password is incorrect.');
  }
}

function rateLimited(resetAt: Date, now: Date): DomainError {
  const seconds = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
  return new DomainError(ErrorCode.RateLimited, 'API rate limit exceeded, please try again later.', {
    retryAfterSeconds: seconds,
  });
}
