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

/** At most this many `sent` marks in one transaction (a statement's parameters stay well under SQLite's limits). */
const SENT_MARKS_PER_TRANSACTION = 100;

/**
 * How long the first `sent` mark waits for others to share its transaction. Sends finish one at
 * a time, each a little after the last, so without a wait every mark had a transaction (and a
 * commit, most of the worker's database time) of its own. The mail is already sent: this only
 * moves its mark, and the window in which a crash would send it again, by a few milliseconds.
 */
const SENT_MARKS_GATHER_MS = 5;

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
  /** Delivered messages whose `sent` mark waits for the next group transaction (see {@link markSent}). */
  private readonly sentQueue: { message: ClaimedMessage; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writingSentMarks = false;
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

  /**
   * Delivers until nothing is due; resolves when done (tests and benchmarks await it). Up to
   * `batchSize` messages are in flight at once, and more are claimed as soon as half of them
   * are done: waiting for a whole batch before claiming the next left the SMTP connections idle
   * behind the batch's slowest message. A database error ends the drain once the messages
   * already in flight have settled.
   */
  async drain(): Promise<void> {
    const { leaseMs, batchSize } = this.options.outbox;
    await this.markSentLate();
    const inFlight = new Set<Promise<void>>();
    /** Ids of the messages in `inFlight`: with the sent-but-unmarked ones, never claimed again. */
    const delivering = new Set<number>();
    let failure: { error: unknown } | undefined;
    for (;;) {
      if (failure) {
        await Promise.all(inFlight);
        throw failure.error;
      }
      let batch: ClaimedMessage[] = [];
      try {
        const held = [...delivering, ...this.sentUnmarked.keys()];
        batch = this.stopped ? [] : await this.outbox.claim(this.owner, this.clock.now(), leaseMs, batchSize - inFlight.size, held);
      } catch (error) {
        failure = { error }; // settled and thrown at the top of the loop, like a delivery's error
        continue;
      }
      this.monitor.roundSucceeded();
      if (batch.length === 0) {
        if (inFlight.size === 0) {
          return;
        }
        // Nothing due right now: let the last ones finish, then look once more (rows may have come in).
        await Promise.all(inFlight);
        continue;
      }
      for (const message of batch) {
        const delivery: Promise<void> = this.deliver(message)
          .catch((error: unknown) => void (failure ??= { error }))
          .finally(() => {
            inFlight.delete(delivery);
            delivering.delete(message.id);
          });
        inFlight.add(delivery);
        delivering.add(message.id);
      }
      while (inFlight.size > batchSize / 2 && !failure) {
        await Promise.race(inFlight);
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
      await this.markSent(message);
    } catch (error) {
      this.sentUnmarked.set(message.id, message);
      throw error;
    }
    this.monitor.delivered(message.channel);
  }

  /**
   * Marks a delivered message `sent`, resolving once that is committed. Marks are written
   * together (group commit): those that arrive within {@link SENT_MARKS_GATHER_MS} of the first,
   * or while a transaction writes earlier ones, share one transaction.
   */
  private markSent(message: ClaimedMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.sentQueue.push({ message, resolve, reject });
      if (!this.writingSentMarks) {
        this.writingSentMarks = true;
        setTimeout(() => void this.writeSentMarks(), SENT_MARKS_GATHER_MS);
      }
    });
  }

  private async writeSentMarks(): Promise<void> {
    try {
      while (this.sentQueue.length > 0) {
        const group = this.sentQueue.splice(0, SENT_MARKS_PER_TRANSACTION);
        try {
          await this.finish(group.map((entry) => entry.message), 'sent');
          group.forEach((entry) => entry.resolve());
        } catch (error) {
          group.forEach((entry) => entry.reject(error));
        }
      }
    } finally {
      this.writingSentMarks = false;
    }
  }

  /** Writes the `sent` marks a failed round could not (see {@link sentUnmarked}). */
  private async markSentLate(): Promise<void> {
    const late = [...this.sentUnmarked.values()];
    if (late.length === 0) {
      return;
    }
    await this.finish(late, 'sent');
    for (const message of late) {
      this.sentUnmarked.delete(message.id);
      this.monitor.delivered(message.channel);
    }
  }

  /** Ends rows and audits each in one transaction, so every terminal row has its audit event. */
  private async finish(messages: ClaimedMessage[], outcome: 'sent' | 'failed', reason?: string): Promise<void> {
    const now = this.clock.now();
    await this.tx.run(async (manager) => {
      const ids = messages.map((message) => message.id);
      const ended = new Set(
        outcome === 'sent'
          ? await this.outbox.markSent(ids, this.owner, now, manager)
          : await this.outbox.markFailed(ids, this.owner, now, reason ?? 'failed', manager),
      );
      // A row missing from `ended` went to another worker when its lease ran out; that worker audits its end.
      for (const message of messages.filter((candidate) => ended.has(candidate.id))) {
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
      }
    });
  }

  private async failed(message: ClaimedMessage, error: unknown): Promise<void> {
    const now = this.clock.now();
    const reason = describeFailure(error);
    if (classifyFailure(error) === 'permanent' || message.attempts >= message.maxAttempts) {
      await this.finish([message], 'failed', reason);
      this.monitor.failedForGood(message.channel, reason, message.id, message.template);
      return;
    }
    const delay = this.options.outbox.backoffBaseMs * 2 ** (message.attempts - 1);
    await this.outbox.markRetry(message.id, this.owner, now, new Date(now.getTime() + delay), reason);
    this.monitor.retrying(message.channel, reason, message.id, delay);
    this.metrics?.delivered(message.channel, 'retried');
  }
}
