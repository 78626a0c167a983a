import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { sha256Hex } from '../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { readCookie } from '../http/cookies';
import { ConsoleRequest, headerValue } from '../http/http-types';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { UsersRepository } from '../users/users.repository';
import { ANONYMOUS, Principal, userPrincipal } from './principal';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository';
import { SESSION_TOUCH_INTERVAL_MS, SessionsService } from './sessions.service';
import { LoginService } from './login.service';
import { ClientIpResolver } from '../http/client-ip';
import { PrincipalCache } from './principal-cache';

/** Name of the session cookie (Spring Session's default, which Halo's UI expects). */
export const SESSION_COOKIE = 'SESSION';

/** Prefix of personal access tokens. */
export const PAT_PREFIX = 'pat_';

const PAT_TOUCH_INTERVAL_MS = 60_000;

/** Turns the credentials on a request (PAT, Basic, session cookie) into a {@link Principal}. */
@Injectable()
export class PrincipalResolver {
  private readonly ipResolver: ClientIpResolver;

  constructor(
    private readonly sessions: SessionsService,
    private readonly pats: PersonalAccessTokensRepository,
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
    private readonly login: LoginService,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    private readonly cache: PrincipalCache,
  ) {
    this.ipResolver = new ClientIpResolver(options.trustProxy);
  }

  /**
   * Resolves the caller. A bearer token that is not valid is an error (401 invalid_token), not
   * anonymity: a client that sends a token wants to know it no longer works.
   */
  async resolve(request: ConsoleRequest): Promise<Principal> {
    const authorization = headerValue(request, 'authorization');
    if (authorization) {
      const [scheme, value] = splitAuthorization(authorization);
      if (scheme === 'bearer') {
        return this.fromPat(value);
      }
      if (scheme === 'basic' && this.options.basicAuth) {
        return this.fromBasic(value, request);
      }
    }
    const cookie = readCookie(headerValue(request, 'cookie'), SESSION_COOKIE);
    if (cookie) {
      const principal = await this.fromSession(cookie);
      if (principal) {
        return principal;
      }
    }
    return ANONYMOUS;
  }

  /** The owner of a session cookie while the principal cache holds it, without waiting; else undefined. */
  cachedSession(token: string): Principal | undefined {
    return this.cache.get(sessionKey(token), this.clock.now());
  }

  /**
   * The owner of a live session cookie, or null (unknown, expired or ended session, disabled
   * owner): a stale cookie leaves the caller anonymous. Called by the `console-session` strategy.
   */
  async fromSession(token: string): Promise<Principal | null> {
    const key = sessionKey(token);
    const now = this.clock.now();
    const cached = this.cache.get(key, now);
    if (cached) {
      return cached;
    }
    return this.cache.fill(key, async () => {
      const ticket = this.cache.ticket();
      const session = await this.sessions.resolve(token);
      if (!session || session.owner.disabled) {
        return null;
      }
      const roles = await this.bindings.roleNamesOf(session.owner.name);
      const principal = userPrincipal(session.owner, roles, roles, 'session', { sessionId: session.id });
      const idleEnd = session.rememberMe ? Infinity : session.lastSeenAt.getTime() + this.options.session.idleTimeoutMs;
      // Back to the database at least once per touch interval, so activity keeps extending the idle timeout.
      const nextTouch = now.getTime() + SESSION_TOUCH_INTERVAL_MS;
      this.cache.store(key, principal, ticket, Math.min(session.expiresAt.getTime(), idleEnd, nextTouch));
      return principal;
    });
  }

  /** The owner of a personal access token while the principal cache holds it, without waiting; else undefined. */
  cachedPat(token: string): Principal | undefined {
    if (!token.startsWith(PAT_PREFIX) || token.length > 200) {
      return undefined;
    }
    return this.cache.get(patKey(sha256Hex(token)), this.clock.now());
  }

  /**
   * The owner of a personal access token, with the token's roles cut down to what the owner holds
   * today. Throws `InvalidToken` (401) for a token that is malformed, unknown, revoked or expired,
   * or whose owner is disabled or gone. Called by the `console-pat` strategy.
   */
  async fromPat(token: string): Promise<Principal> {
    // A function, not one error made up front: an error captures a stack, and most calls succeed.
    const invalid = () => new DomainError(ErrorCode.InvalidToken, 'The access token is invalid, expired or revoked.');
    if (!token.startsWith(PAT_PREFIX) || token.length > 200) {
      throw invalid();
    }
    const tokenHash = sha256Hex(token);
    const key = patKey(tokenHash);
    const now = this.clock.now();
    const cached = this.cache.get(key, now);
    if (cached) {
      return cached;
    }
    const principal = await this.cache.fill(key, async () => {
      const ticket = this.cache.ticket();
      const pat = await this.pats.findByTokenHash(tokenHash);
      if (!pat || pat.revoked || (pat.expiresAt && pat.expiresAt <= now)) {
        throw invalid();
      }
      const user = await this.users.findById(pat.userId);
      if (!user || user.disabled) {
        throw invalid();
      }
      const bound = await this.bindings.roleNamesOf(user.name);
      const graph = await this.roleGraph.graph();
      // A token never carries more than its owner holds today.
      const granted = pat.roles.filter((role) => graph.contains(bound, role));
      if (!pat.lastUsed || now.getTime() - pat.lastUsed.getTime() >= PAT_TOUCH_INTERVAL_MS) {
        await this.pats.touch(pat.id, now, new Date(now.getTime() - PAT_TOUCH_INTERVAL_MS));
      }
      const resolved = userPrincipal(user, granted, bound, 'pat', { patName: pat.name });
      this.cache.store(key, resolved, ticket, pat.expiresAt ? pat.expiresAt.getTime() : null);
      return resolved;
    });
    return principal!;
  }

  /**
   * The user of an `Authorization: Basic` value, checked by the login use-case (so failures
   * count towards the login limits). Throws `Unauthenticated` (401) for wrong credentials or a
   * disabled account, and the login's 429 when it is locked. Called by the `console-basic` strategy.
   */
  async fromBasic(encoded: string, request: ConsoleRequest): Promise<Principal> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [username, password] = colon > 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : ['', ''];
    const context = {
      ip: request.consoleClientIp ?? this.ipResolver.resolve(request),
      userAgent: headerValue(request, 'user-agent') ?? null,
    };
    let user;
    try {
      user = await this.login.authenticate(username, password, context, 'basic');
    } catch (error) {
      // Throttling stays a 429; a wrong password and a disabled account are the same 401 here.
      if (error instanceof DomainError && (error.code === ErrorCode.InvalidCredentials || error.code === ErrorCode.AccountDisabled)) {
        throw new DomainError(ErrorCode.Unauthenticated, 'Bad credentials.');
      }
      throw error;
    }
    const roles = await this.bindings.roleNamesOf(user.name);
    return userPrincipal(user, roles, roles, 'basic');
  }
}

/** The scheme (lower-cased) and value of an `Authorization` header. */
export function splitAuthorization(header: string): [string, string] {
  const space = header.indexOf(' ');
  if (space === -1) {
    return [header.toLowerCase(), ''];
  }
  return [header.slice(0, space).toLowerCase(), header.slice(space + 1).trim()];
}

/** The principal cache's key of a session cookie: its hash, so a heap dump or a debugging print of the cache holds no usable cookie. */
function sessionKey(token: string): string {
  return `s:${sha256Hex(token)}`;
}

/** The principal cache's key of a personal access token, from the token's hash. */
function patKey(tokenHash: string): string {
  return `p:${tokenHash}`;
}
