import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import type { StringMap } from '../common/json-map';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { resolveLocale } from '../notifications/template-dirs';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';
import type { UserEntity } from '../users/user.entity';
import { SecretKind, VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { SecretDelivery, VerificationService } from '../verification/verification.service';
import { AccountLookupRepository } from './account-lookup.repository';
import { maskAddress } from './addresses';

/** Template of the mail/SMS telling an address owner that someone asked for a new-account code. */
export const ADDRESS_IN_USE_TEMPLATE = 'address-in-use';

/** Who may receive the secret. */
export type PublicAudience =
  /**
   * Addresses without an account (registration, binding a new address). The holder of a taken
   * address gets a notice instead of a code; with `existenceErrors` the caller is told instead.
   */
  | { kind: 'new'; existenceErrors: boolean; bindUserId?: number | null }
  /**
   * The address of an enabled account, the secret bound to it. Unknown addresses (and holders
   * `eligible` rejects) get nothing; with `existenceErrors` the caller is told instead.
   */
  | { kind: 'existing'; existenceErrors: boolean; eligible?: (user: UserEntity) => boolean }
  /** The caller's own address, already looked up by the face. */
  | { kind: 'self'; user: UserEntity };

/** A fixed-window limit a face adds on top of the engine's (Fresns: 1/min and 5/10 min per account). */
export interface AccountLimit {
  key: string;
  windowMs: number;
  max: number;
}

/** One public send. */
export interface PublicSendRequest {
  purpose: VerificationPurpose;
  channel: VerificationChannel;
  /** Normalized address (see `normalizeAddress`). */
  target: string;
  audience: PublicAudience;
  kind?: SecretKind;
  ttlMs?: number;
  /** Template of the message carrying the secret. */
  template: string;
  /** Variables of that template, from the plain secret; `expiresInMinutes` is added. */
  variables: (secret: string, holder: UserEntity | null) => Record<string, string | number | boolean>;
  acceptLanguage?: string;
  accountLimits?: AccountLimit[];
  context?: StringMap;
  ip?: string;
  /** Name of the logged-in caller, for the audit row. */
  actor?: string | null;
}

/**
 * Sends public codes and links without telling strangers who has an account. Every path —
 * secret for a known address, notice for a taken one, nothing for an unknown one — runs the
 * same statements in one transaction: the face's and the engine's limits, the revocation of
 * older secrets, one secret row, one outbox row (terminal `suppressed` when nothing may be
 * delivered) and one audit row. So status, body and time of the answer do not depend on the
 * address, and the limits count alike.
 */
@Injectable()
export class PublicCodeService {
  constructor(
    private readonly accounts: AccountLookupRepository,
    private readonly verification: VerificationService,
    private readonly limits: RateLimitRepository,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** Throws {@link ErrorCode.ChannelUnavailable} when the host did not enable the channel. */
  assertChannelEnabled(channel: VerificationChannel): void {
    if (!this.options.publicCodes.channels.includes(channel)) {
      throw new DomainError(ErrorCode.ChannelUnavailable, `No ${channel === VerificationChannel.Sms ? 'SMS' : 'email'} provider is configured.`);
    }
  }

  async send(request: PublicSendRequest): Promise<void> {
    this.assertChannelEnabled(request.channel);
    const plan = await this.plan(request);
    const ttlMs =
      request.ttlMs ??
      (request.channel === VerificationChannel.Sms ? this.options.verification.smsCodeTtlMs : this.options.verification.emailCodeTtlMs);
    const expiresInMinutes = Math.max(1, Math.round(ttlMs / 60_000));
    const locale = resolveLocale(plan.holder?.language, request.acceptLanguage);
    const delivery: SecretDelivery =
      plan.deliver === 'notice'
        ? {
            template: ADDRESS_IN_USE_TEMPLATE,
            locale,
            // The secret is issued like any other but never leaves this process.
            variables: () => ({ username: plan.holder!.name, displayName: plan.holder!.displayName }),
          }
        : {
            template: request.template,
            locale,
            variables: (secret) => ({ expiresInMinutes, ...request.variables(secret, plan.holder) }),
            suppressed: plan.deliver === 'nothing',
          };

    const now = this.clock.now();
    await this.tx.run(async (manager) => {
      for (const limit of request.accountLimits ?? []) {
        const state = await this.limits.hit(limit.key, limit.windowMs, now, manager);
        if (state.hits > limit.max) {
          throw rateLimitedError(state.resetAt, now);
        }
      }
      await this.verification.issueWithin(manager, {
        purpose: request.purpose,
        channel: request.channel,
        target: request.target,
        userId: plan.userId,
        kind: request.kind ?? SecretKind.Code,
        ttlMs,
        context: request.context,
        delivery,
      });
      await this.audit.record(
        {
          actor: request.actor ?? null,
          action: 'public-code.send',
          target: maskAddress(request.channel, request.target),
          ip: request.ip,
          outcome: 'success',
          details: { purpose: request.purpose, channel: request.channel },
        },
        manager,
      );
    });
  }

  /** Decides who gets what. Lookups happen on every path, known or not. */
  private async plan(request: PublicSendRequest): Promise<{ holder: UserEntity | null; userId: number | null; deliver: 'secret' | 'notice' | 'nothing' }> {
    const audience = request.audience;
    switch (audience.kind) {
      case 'self':
        return { holder: audience.user, userId: audience.user.id, deliver: 'secret' };
      case 'new': {
        const holder = await this.accounts.isTaken(request.channel, request.target);
        if (holder && audience.existenceErrors) {
          throw addressInUse(request.channel);
        }
        // A disabled holder gets no notice: nobody should be nudged towards a closed account.
        const deliver = !holder ? 'secret' : holder.disabled ? 'nothing' : 'notice';
        return { holder, userId: audience.bindUserId ?? null, deliver };
      }
      case 'existing': {
        const found = await this.accounts.accountFor(request.channel, request.target);
        const holder = found && (audience.eligible ?? (() => true))(found) ? found : null;
        if (!found && audience.existenceErrors) {
          throw new DomainError(ErrorCode.UserNotFound, 'Account not exist.');
        }
        return { holder, userId: holder?.id ?? null, deliver: holder ? 'secret' : 'nothing' };
      }
    }
  }
}

/** The address is another account's; `reason` is the field, so faces pick email vs phone codes. */
export function addressInUse(channel: VerificationChannel): DomainError {
  return channel === VerificationChannel.Email
    ? new DomainError(ErrorCode.AddressInUse, 'Email has been used.', { reason: 'email' })
    : new DomainError(ErrorCode.AddressInUse, 'Phone number has been used.', { reason: 'phone' });
}
