import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRecord, AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { maskEmail, normalizeEmail } from '../email-verification/email-address';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { NotificationsService } from '../notifications/notifications.service';
import { resolveLocale } from '../notifications/template-dirs';
import { VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import { EMAIL_TO_VERIFY_ANNOTATION } from './user-annotations';
import type { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

/** Secrets mailed to an address: a new address makes them useless. */
export const PURPOSES_BOUND_TO_ADDRESS: readonly VerificationPurpose[] = [
  VerificationPurpose.Recovery,
  VerificationPurpose.ResetPassword,
  VerificationPurpose.ChangeEmail,
];

/** A new email address for a user, inside the caller's transaction. */
export interface EmailChange {
  userId: number;
  /** As typed (trimmed); compared normalized. */
  email: string;
  verified: boolean;
  /** Drops the address that was waiting for a code (it is settled now). */
  clearPending?: boolean;
  /** Secrets ended even when the address stays the same. */
  alsoEnd?: readonly VerificationPurpose[];
  /** For the "your email changed" notice to the old address. */
  acceptLanguage?: string;
}

/** A proof (code or link) that the user holds `address`, to record in the caller's transaction. */
export interface EmailProof {
  userId: number;
  /** Normalized address the proof was sent to. */
  address: string;
  /** The face's error when the user can no longer use it (gone, disabled, address changed). */
  refuse: () => Error;
  /** The user is the actor and the target; the action defaults to `email.verify`. */
  audit: Pick<AuditRecord, 'ip' | 'details'> & { action?: string };
}

/**
 * The rules about a user's email address that several faces share: changing it (secrets bound
 * to the old address end, the old verified address is told) and marking it verified after a
 * proof of the mailbox.
 */
@Injectable()
export class EmailAddressUseCase {
  constructor(
    private readonly users: UsersRepository,
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Writes the new address; returns the row as written, whether the address changed and the
   * verified address it replaced.
   */
  async changeEmail(manager: EntityManager, change: EmailChange): Promise<{ user: UserEntity; changed: boolean; previous: string | null }> {
    const user = await this.users.findById(change.userId, manager);
    if (!user) {
      throw new DomainError(ErrorCode.NotFound, 'The user no longer exists.');
    }
    const normalized = normalizeEmail(change.email) ?? change.email.toLowerCase();
    const changed = user.emailLower !== normalized;
    const annotations = change.clearPending ? withoutPending(user.annotations) : undefined;
    await this.users.update(manager, user, { email: change.email, emailVerified: change.verified, ...(annotations ? { annotations } : {}) }, this.clock.now());
    const ended = [...(change.alsoEnd ?? []), ...(changed ? PURPOSES_BOUND_TO_ADDRESS : [])];
    if (ended.length > 0) {
      await this.verification.revokeForUser(user.id, ended, manager);
    }
    const previous = changed && user.emailVerified && user.email ? user.email : null;
    if (previous) {
      await this.notifications.enqueue(manager, {
        channel: 'email',
        recipient: previous.toLowerCase(),
        template: 'email-changed',
        locale: resolveLocale(user.language, change.acceptLanguage),
        variables: { username: user.name, newEmail: maskEmail(normalized) },
      });
    }
    return { user: (await this.users.findById(user.id, manager))!, changed, previous };
  }

  /**
   * Marks the address verified after a proof of the mailbox, if the user still holds it and is
   * enabled, and audits `email.verify`. A verified address is unique: another holder makes the
   * write fail with a unique violation, which the face words.
   */
  async markEmailVerified(manager: EntityManager, proof: EmailProof): Promise<UserEntity> {
    const user = await this.users.findById(proof.userId, manager);
    if (!user || user.disabled || user.emailLower !== proof.address) {
      throw proof.refuse();
    }
    if (!user.emailVerified) {
      await this.users.update(manager, user, { emailVerified: true }, this.clock.now());
    }
    const { action, ...audit } = proof.audit;
    await this.audit.record({ actor: user.name, action: action ?? 'email.verify', target: user.name, ip: audit.ip, outcome: 'success', details: audit.details }, manager);
    return (await this.users.findById(user.id, manager))!;
  }

  /**
   * Whether a proof of `address` may also mark it verified on `user` (a password set through a
   * mailed link): only when the user holds it unverified and nobody else holds it verified.
   */
  async mayMarkVerified(manager: EntityManager, user: UserEntity, address: string): Promise<boolean> {
    if (user.emailLower === null || user.emailLower !== address || user.emailVerified) {
      return false;
    }
    const holder = await this.users.findByVerifiedEmail(address, manager);
    return !holder || holder.id === user.id;
  }
}

function withoutPending(annotations: Record<string, string>): Record<string, string> {
  const rest = { ...annotations };
  delete rest[EMAIL_TO_VERIFY_ANNOTATION];
  return rest;
}
