import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { sha256Hex } from '../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
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

/** Password login with per-IP and per-account throttling. */
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
    const now = this.clock.now();
    const { ipAttempts, ipWindowMs, accountFailures, accountWindowMs } = this.options.loginLimits;

    const perIp = await this.limits.hit(`login:ip:${context.ip}`, ipWindowMs, now);
    if (perIp.hits > ipAttempts) {
      throw rateLimited(perIp.resetAt, now);
    }
    if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') {
      throw new DomainError(ErrorCode.InvalidCredentials, 'The username or password is incorrect.');
    }
    const accountKey = accountFailureKey(username);
    const failures = await this.limits.peek(accountKey, now);
    if (failures.hits >= accountFailures) {
      throw rateLimited(failures.resetAt, now);
    }

    const user = await this.credentials.verify(username, password);
    if (!user) {
      await this.limits.hit(accountKey, accountWindowMs, now);
      throw new DomainError(ErrorCode.InvalidCredentials, 'The username or password is incorrect.');
    }
    if (user.disabled) {
      throw new DomainError(ErrorCode.AccountDisabled, 'The account is disabled.');
    }
    const sessionToken = await this.sessions.start(user.id, context.ip || null, context.userAgent);
    const roles = await this.bindings.roleNamesOf(user.name);
    return { username: user.name, roles, sessionToken };
  }
}

/**
 * The per-account bucket of failed password checks. Keyed on a hash so the bucket table never
 * holds login names typed by strangers; shared by login and the old-password check of
 * ChangeOwnPassword, so both draw on one guessing budget.
 */
export function accountFailureKey(login: string): string {
  return `login:fail:${sha256Hex(login.trim().toLowerCase())}`;
}

/** Halo's 429 with a Retry-After until the window ends. */
export function rateLimited(resetAt: Date, now: Date): DomainError {
  const seconds = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
  return new DomainError(ErrorCode.RateLimited, 'API rate limit exceeded, please try again later.', {
    retryAfterSeconds: seconds,
  });
}
