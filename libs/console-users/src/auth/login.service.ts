import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { sha256Hex } from '../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';
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

/** Password login with per-account throttling (the per-IP limit is the route's throttler guard). */
@Injectable()
export class LoginService {
  constructor(
    private readonly credentials: CredentialsVerifier,
    private readonly sessions: SessionsService,
    private readonly limits: RateLimitRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly audit: AuditService,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async login(username: unknown, password: unknown, context: LoginContext): Promise<LoginResult> {
    const now = this.clock.now();
    const { accountFailures, accountWindowMs } = this.options.loginLimits;
    if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') {
      throw new DomainError(ErrorCode.InvalidCredentials, 'The username or password is incorrect.');
    }
    // Keyed on a hash so the bucket table never holds login names typed by strangers.
    const accountKey = `login:fail:${sha256Hex(username.trim().toLowerCase())}`;
    const failures = await this.limits.peek(accountKey, now);
    if (failures.hits >= accountFailures) {
      throw rateLimitedError(failures.resetAt, now);
    }

    const user = await this.credentials.verify(username, password);
    if (!user) {
      await this.limits.hit(accountKey, accountWindowMs, now);
      await this.audit.record({ actor: null, action: 'login', target: username.trim().slice(0, 63), ip: context.ip, outcome: 'failure' });
      throw new DomainError(ErrorCode.InvalidCredentials, 'The username or password is incorrect.');
    }
    if (user.disabled) {
      await this.audit.record({ actor: user.name, action: 'login', target: user.name, ip: context.ip, outcome: 'denied', details: { reason: 'disabled' } });
      throw new DomainError(ErrorCode.AccountDisabled, 'The account is disabled.');
    }
    const sessionToken = await this.sessions.start(user.id, context.ip || null, context.userAgent);
    await this.audit.record({ actor: user.name, action: 'login', target: user.name, ip: context.ip, outcome: 'success' });
    const roles = await this.bindings.roleNamesOf(user.name);
    return { username: user.name, roles, sessionToken };
  }
}
