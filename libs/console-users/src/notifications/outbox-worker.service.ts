import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { ConsoleUsersMetrics } from '../metrics/console-users-metrics';
import { classifyFailure, describeFailure } from './delivery-error';
import { DeliveryMonitor } from './delivery-monitor';
import { CONSOLE_USERS_MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { OUTBOX_PAYLOAD_CIPHER } from './notification.tokens';
import { NotificationsService } from './notifications.service';
import { ClaimedMessage, OutboxRepository } from './outbox.repository';
import { PayloadCipher } from './payload-cipher';
import { CONSOLE_USERS_SMS_SENDER, SmsSender } from './sms-sender';
import { TemplateRenderer } from './template-renderer';

/**
 * Delivers outbox rows: claims due rows under a lease, sends, and ends each row `sent` or, after
 * a permanent error or the last attempt, `failed`; transient errors retry with exponential
 * backoff. Several instances may run it at once: the lease keeps a row with one worker.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly owner = `worker-${randomUUID()}`;
  private timer?: NodeJS.Timeout;
  private summaryTimer?: NodeJS.Timeout;
  /**
   * Messages handed to the transport whose `sent` mark could not be written (the database went
   * away right after the send). Marked first thing in the next rounds, while this worker still
   * holds their lease; without this they would be sent again when the lease runs out.
   */
  private readonly sentUnmarked = new Map<number, ClaimedMessage>();
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly notifications: NotificationsService,
    private readonly renderer: TemplateRenderer,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(OUTBOX_PAYLOAD_CIPHER) private readonly cipher: PayloadCipher,
    @Inject(CONSOLE_USERS_MAIL_TRANSPORT) private readonly mail: MailTransport,
    @Inject(CONSOLE_USERS_SMS_SENDER) private readonly sms: SmsSender,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    private readonly monitor: DeliveryMonitor,
    @Optional() private readonly metrics?: ConsoleUsersMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.outbox.enabled) {
      return;
    }
    this.unsubscribe = this.notifications.onCommitted(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.options.outbox.pollIntervalMs);
    this.timer.unref();
    this.summaryTimer = setInterval(() => this.monitor.summarize(), this.options.outbox.summaryIntervalMs);
    this.summaryTimer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) {
      clearInterval(this.timer);
    }
    if (this.summaryTimer) {
      clearInterval(this.summaryTimer);
    }
    await this.running;
    await this.mail.close?.();
  }

  /** Starts a delivery round now, or right after the current one. */
  kick(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      // Every 500 ms while the database is away: the monitor logs the change, not each round.
      .catch((error: unknown) => this.monitor.roundFailed(describeFailure(error)))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Runs rounds until nothing is due; resolves when done (tests and benchmarks await it). */
  async drain(): Promise<void> {
    const { leaseMs, batchSize } = this.options.outbox;
    await this.markSentLate();
    for (;;) {
      const batch = await this.outbox.claim(this.owner, this.clock.now(), leaseMs, batchSize);
      this.monitor.roundSucceeded();
      if (batch.length === 0) {
        return;
      }
      await Promise.all(batch.map((message) => this.deliver(message)));
      if (this.stopped) {
        return;
      }
    }
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    try {
      if (!message.payloadEncrypted) {
        throw Object.assign(new Error('payload missing'), { code: 'EMESSAGE' });
      }
      const variables = { publicUrl: this.options.publicUrl, ...this.cipher.decrypt<Record<string, unknown>>(message.payloadEncrypted) };
      if (message.channel === 'sms') {
        await this.sms.send(message.recipient, this.renderer.renderSms(message.template, message.locale, variables));
      } else {
        const texts = this.renderer.renderMail(message.template, message.locale, variables);
        await this.mail.send({
          from: message.sender ?? this.options.mail.from,
          to: message.recipient,
          subject: texts.subject,
          text: texts.text,
          htmlTemplate: texts.htmlTemplate,
          context: variables,
          messageId: message.messageId,
          template: message.template,
        });
      }
    } catch (error) {
      await this.failed(message, error);
      return;
    }
    try {
      await this.finish(message, 'sent');
    } catch (error) {
      this.sentUnmarked.set(message.id, message);
      throw error;
    }
    this.monitor.delivered(message.channel);
  }

  /** Writes the `sent` marks a failed round could not (see {@link sentUnmarked}). */
  private async markSentLate(): Promise<void> {
    for (const message of [...this.sentUnmarked.values()]) {
      await this.finish(message, 'sent');
      this.sentUnmarked.delete(message.id);
      this.monitor.delivered(message.channel);
    }
  }

  /** Ends a row and audits it in one transaction, so every terminal row has its audit event. */
  private async finish(message: ClaimedMessage, outcome: 'sent' | 'failed', reason?: string): Promise<void> {
    const now = this.clock.now();
    await this.tx.run(async (manager) => {
      const ended =
        outcome === 'sent'
          ? await this.outbox.markSent(message.id, this.owner, now, manager)
          : await this.outbox.markFailed(message.id, this.owner, now, reason ?? 'failed', manager);
      if (!ended) {
        return; // The lease ran out and another worker owns the row now; it will audit the end.
      }
      this.tx.afterCommit(manager, () => this.metrics?.delivered(message.channel, outcome));
      await this.audit.record(
        {
          actor: null,
          action: `delivery.${outcome}`,
          target: message.recipient,
          outcome: outcome === 'sent' ? 'success' : 'failure',
          details: {
            deliveryId: String(message.id),
            channel: message.channel,
            template: message.template,
            attempts: String(message.attempts),
            ...(reason ? { error: reason } : {}),
          },
        },
        manager,
      );
    });
  }

  private async failed(message: ClaimedMessage, error: unknown): Promise<void> {
    const now = this.clock.now();
    const reason = describeFailure(error);
    if (classifyFailure(error) === 'permanent' || message.attempts >= message.maxAttempts) {
      await this.finish(message, 'failed', reason);
      this.monitor.failedForGood(message.channel, reason, message.id, message.template);
      return;
    }
    const delay = this.options.outbox.backoffBaseMs * 2 ** (message.attempts - 1);
    await this.outbox.markRetry(message.id, this.owner, now, new Date(now.getTime() + delay), reason);
    this.monitor.retrying(message.channel, reason, message.id, delay);
    this.metrics?.delivered(message.channel, 'retried');
  }
}
