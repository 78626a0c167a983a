import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { resolveLocale } from '../notifications/template-dirs';
import { ApiGroups } from '../rbac/rbac-labels';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';
import { SYSTEM_USER_NAMES } from '../users/system-users';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { SecretKind, VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import type { EmailStageEntity } from './email-stage.entity';
import { EmailStagesService, stageNotFound } from './email-stages.service';
import { assertRecoveryLifetime, DEFAULT_RECOVERY_TOKEN_MS, LifetimeReader } from './recovery-lifetime';

/** The user a recovery is for: by integer id (authentik) or by name (Halo). */
export type RecoveryTarget = { id: number } | { name: string };

/** Options of issuing a link. */
export interface RecoveryLinkRequest {
  /** The requested lifetime in the face's notation (5 min – 24 h once read); absent: the stage's, else one hour. */
  tokenDuration?: string;
  /** The face's reader of its lifetime notation (also the one email stages store). */
  readLifetime: LifetimeReader;
  ip?: string;
}

/** Options of mailing a link. */
export interface RecoveryMailRequest extends RecoveryLinkRequest {
  /** Stage UUID; absent → the default stage. */
  emailStageId?: string;
}

/** A link handed to the caller (authentik `/recovery/`). */
export interface IssuedRecoveryLink {
  link: string;
  expiresAt: Date;
}

/** What a recovery secret remembers (never the secret itself). */
export interface RecoveryContext {
  /** `link` for the mailed/handed-out link, `form` for the set-password form after consent. */
  step: 'link' | 'form';
  /** Name of the admin who issued the link. */
  admin: string;
  /** `yes` when the link went to the user's mailbox, so using it proves that mailbox. */
  mailed: 'yes' | 'no';
}

/** Target of a link handed to an admin for a user without an address: `user:<id>`. */
export const UNMAILED_TARGET_PREFIX = 'user:';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Admin-triggered account recovery, shared by every face: checks who may target whom, issues a
 * single-use link (revoking older ones) and either mails it or hands it to the caller, counting
 * the per-user and per-admin limits in the same transaction.
 */
@Injectable()
export class RecoveryService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
    private readonly verification: VerificationService,
    private readonly stages: EmailStagesService,
    private readonly limits: RateLimitRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** Mails a recovery link to the user's address on file (authentik `/recovery_email/`, Halo `recovery-email`). */
  async sendRecoveryMail(caller: UserPrincipal, target: RecoveryTarget, request: RecoveryMailRequest): Promise<void> {
    const user = await this.targetUser(caller, target, 'recovery.email', request.ip);
    if (!user.emailLower) {
      throw new DomainError(ErrorCode.BadRequest, 'User does not have an email address set.');
    }
    const stage = await this.stages.forRecovery(request.emailStageId);
    if (request.emailStageId !== undefined && !(await this.maySeeStage(caller, stage))) {
      throw stageNotFound();
    }
    const ttlMs = assertRecoveryLifetime(request.readLifetime(request.tokenDuration ?? stage.tokenExpiry));
    const recipient = user.emailLower;
    await this.transactions.run(async (manager) => {
      const now = this.clock.now();
      await this.countIssue(manager, caller, user, true, now);
      await this.verification.revokeForUser(user.id, [VerificationPurpose.Recovery], manager);
      await this.verification.issueWithin(manager, {
        purpose: VerificationPurpose.Recovery,
        channel: VerificationChannel.Email,
        kind: SecretKind.Link,
        target: recipient,
        userId: user.id,
        ttlMs,
        enforceLimits: false,
        context: { step: 'link', admin: caller.name, mailed: 'yes' } satisfies RecoveryContext,
        delivery: {
          template: this.stages.mailTemplateOf(stage),
          locale: resolveLocale(user.language, null),
          from: stage.fromAddress,
          variables: (token) => ({
            link: this.linkFor(token),
            username: user.name,
            displayName: user.displayName,
            expiresInMinutes: Math.round(ttlMs / 60_000),
            expiresAt: utc(new Date(now.getTime() + ttlMs)),
            ...(stage.subject ? { stageSubject: stage.subject } : {}),
          }),
        },
      });
      await this.audit.record(
        {
          actor: caller.name,
          action: 'recovery.email',
          target: user.name,
          ip: request.ip,
          outcome: 'success',
          details: { stage: stage.name, ttlMinutes: String(Math.round(ttlMs / 60_000)) },
        },
        manager,
      );
    });
  }

  /** Issues a link and returns it to the caller (authentik `/recovery/`); nothing is mailed. */
  async issueRecoveryLink(caller: UserPrincipal, target: RecoveryTarget, request: RecoveryLinkRequest): Promise<IssuedRecoveryLink> {
    const user = await this.targetUser(caller, target, 'recovery.link', request.ip);
    const ttlMs = request.tokenDuration === undefined ? DEFAULT_RECOVERY_TOKEN_MS : assertRecoveryLifetime(request.readLifetime(request.tokenDuration));
    return this.transactions.run(async (manager) => {
      const now = this.clock.now();
      await this.countIssue(manager, caller, user, false, now);
      await this.verification.revokeForUser(user.id, [VerificationPurpose.Recovery], manager);
      const issued = await this.verification.issueWithin(manager, {
        purpose: VerificationPurpose.Recovery,
        channel: VerificationChannel.Email,
        kind: SecretKind.Link,
        // A user without an address can still be handed a link; it then proves no mailbox.
        target: user.emailLower ?? `${UNMAILED_TARGET_PREFIX}${user.id}`,
        userId: user.id,
        ttlMs,
        enforceLimits: false,
        context: { step: 'link', admin: caller.name, mailed: 'no' } satisfies RecoveryContext,
        delivery: null,
      });
      await this.audit.record(
        { actor: caller.name, action: 'recovery.link', target: user.name, ip: request.ip, outcome: 'success', details: { ttlMinutes: String(Math.round(ttlMs / 60_000)) } },
        manager,
      );
      return { link: this.linkFor(issued.secret), expiresAt: issued.expiresAt };
    });
  }

  /** The landing page URL; built from PUBLIC_URL only, never from request headers. */
  private linkFor(token: string): string {
    return `${this.options.publicUrl}/recovery?token=${encodeURIComponent(token)}`;
  }

  /**
   * The target, if the caller may act on it: it exists (system users do not), the caller holds
   * every role the target holds (so nobody takes over an account stronger than their own; a
   * super-role target needs super-role), and it is enabled.
   */
  private async targetUser(caller: UserPrincipal, target: RecoveryTarget, action: string, ip?: string): Promise<UserEntity> {
    const user = 'id' in target ? await this.users.findById(target.id) : await this.users.findByName(target.name);
    if (!user || SYSTEM_USER_NAMES.includes(user.name)) {
      throw new DomainError(ErrorCode.UserNotFound, 'id' in target ? 'No User matches the given query.' : `User ${target.name} was not found`);
    }
    const graph = await this.roleGraph.graph();
    const targetRoles = await this.bindings.roleNamesOf(user.name);
    if (!targetRoles.every((role) => graph.contains(caller.roles, role))) {
      await this.audit.record({ actor: caller.name, action, target: user.name, ip, outcome: 'denied', details: { reason: 'target holds roles the caller lacks' } });
      throw new DomainError(ErrorCode.Forbidden, 'You do not have permission to perform this action.');
    }
    if (user.disabled) {
      throw new DomainError(ErrorCode.BadRequest, 'The user is disabled.');
    }
    return user;
  }

  /** authentik also requires the right to view the chosen stage. */
  private async maySeeStage(caller: UserPrincipal, stage: EmailStageEntity): Promise<boolean> {
    const graph = await this.roleGraph.graph();
    return graph.allows(caller.roles, { kind: 'resource', apiGroup: ApiGroups.console, resource: 'emailstages', name: stage.id, verb: 'get' });
  }

  /** Counts one issue against the limits; throws 429 (and the transaction rolls the counts back). */
  private async countIssue(manager: EntityManager, caller: UserPrincipal, user: UserEntity, mail: boolean, now: Date): Promise<void> {
    const limits = this.options.recovery;
    const checks: [string, number, number][] = [];
    if (mail) {
      checks.push([`recovery:mail:cooldown:user:${user.id}`, limits.mailCooldownMs, 1]);
      checks.push([`recovery:mail:day:user:${user.id}`, DAY, limits.mailsPerDay]);
    }
    checks.push([`recovery:issue:hour:admin:${caller.userId}`, HOUR, limits.issuesPerAdminPerHour]);
    for (const [key, window, max] of checks) {
      const state = await this.limits.hit(key, window, now, manager);
      if (state.hits > max) {
        throw rateLimitedError(state.resetAt, now);
      }
    }
  }
}

/** `2026-05-01 10:00 UTC`: unambiguous for every reader of the mail. */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
