import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { afterCommit } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { OutboxRepository } from './outbox.repository';
import { PayloadCipher } from './payload-cipher';
import { OUTBOX_PAYLOAD_CIPHER } from './notification.tokens';

/** A message to queue. */
export interface QueuedMessage {
  channel: 'email' | 'sms';
  /** One email address or one E.164 number. */
  recipient: string;
  /** Template name, e.g. `email-verify`. */
  template: string;
  locale: string;
  /** Template variables; may hold the secret, which is why they are encrypted at rest. */
  variables: Record<string, string | number | boolean>;
  verificationCodeId?: number | null;
  /**
   * Queue the row but never deliver it (terminal `suppressed`). Public endpoints use it for
   * unknown addresses so both answers cost the same work and nothing reaches a stranger.
   */
  suppressed?: boolean;
  /** Sender instead of the configured one, e.g. `Support <help@example.com>`; one line, one address. */
  from?: string | null;
}

/** Strict single-address checks: no display names, lists, line breaks or quoting tricks. */
const SINGLE_EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Queues messages in the outbox inside the caller's transaction, so the message exists exactly
 * when the code it carries does. The worker delivers after commit.
 */
@Injectable()
export class NotificationsService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly outbox: OutboxRepository,
    @Inject(OUTBOX_PAYLOAD_CIPHER) private readonly cipher: PayloadCipher,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async enqueue(manager: EntityManager, message: QueuedMessage): Promise<number> {
    const ok = message.channel === 'email' ? SINGLE_EMAIL.test(message.recipient) && message.recipient.length <= 254 : E164.test(message.recipient);
    if (!ok) {
      throw new DomainError(ErrorCode.BadRequest, message.channel === 'email' ? 'The email address is not valid.' : 'The phone number is not valid.');
    }
    if (message.from != null && (message.from.length > 320 || /[\r\n]/.test(message.from) || !message.from.includes('@'))) {
      throw new DomainError(ErrorCode.BadRequest, 'The sender address is not valid.');
    }
    const host = new URL(this.options.publicUrl).hostname || 'localhost';
    // The worker learns of the row when it is committed, whoever opened the transaction.
    afterCommit(manager, this.wake);
    return this.outbox.enqueue(
      manager,
      {
        channel: message.channel,
        recipient: message.recipient,
        template: message.template,
        locale: message.locale,
        payloadEncrypted: this.cipher.encrypt(message.variables),
        maxAttempts: this.options.outbox.maxAttempts,
        messageId: `<${randomUUID()}@${host}>`,
        verificationCodeId: message.verificationCodeId ?? null,
        suppressed: message.suppressed ?? false,
        sender: message.from ?? null,
      },
      this.clock.now(),
    );
  }

  private readonly wake = (): void => this.notifyCommitted();

  /**
   * Tells the worker there is work. {@link enqueue} arranges it after the commit of a
   * transaction run by the {@link TransactionRunner}; call it only for rows written otherwise.
   */
  notifyCommitted(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** The worker subscribes here. */
  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
