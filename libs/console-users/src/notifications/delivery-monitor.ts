import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';

/** What the monitor knows about one channel (`email`, `sms`). */
export interface ChannelHealth {
  /** When deliveries on this channel started failing; absent while they work. */
  failingSince?: Date;
  /** The last failure's content-free reason. */
  lastError?: string;
}

interface Counts {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Turns the outbox worker's per-message outcomes into what an operator wants to read: one
 * warning when a channel starts failing, one line when it works again, one when the worker's
 * own rounds fail (the database is away) and when they resume, and a periodic summary while
 * anything went wrong, never one line per try. Also the state the health endpoint reports.
 */
@Injectable()
export class DeliveryMonitor {
  private readonly logger = new Logger('Outbox');
  private readonly channels = new Map<string, ChannelHealth>();
  private counts: Counts = { sent: 0, retried: 0, failed: 0 };
  private roundsFailingSince?: Date;

  constructor(@Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock) {}

  /** The state of every channel that has delivered or failed since the start. */
  channelHealth(): ReadonlyMap<string, ChannelHealth> {
    return this.channels;
  }

  /** True while some channel is failing. */
  get failing(): boolean {
    return [...this.channels.values()].some((channel) => channel.failingSince !== undefined);
  }

  delivered(channel: string): void {
    this.counts.sent++;
    const state = this.channels.get(channel);
    if (state?.failingSince) {
      this.logger.log(`${label(channel)} delivery works again after ${this.since(state.failingSince)}; waiting messages go out now`);
    }
    this.channels.set(channel, {});
  }

  /** A transient failure: the message will be retried. */
  retrying(channel: string, reason: string, deliveryId: number, delayMs: number): void {
    this.counts.retried++;
    this.failure(channel, reason);
    this.logger.debug(`Delivery ${deliveryId} will be retried in ${Math.round(delayMs / 1000)} s: ${reason}`);
  }

  /** A permanent failure, or the last attempt: the message is `failed` for good. */
  failedForGood(channel: string, reason: string, deliveryId: number, template: string): void {
    this.counts.failed++;
    // Each of these ends a message an operator may have to act on: one line per message.
    this.logger.warn(`Delivery ${deliveryId} (${template} via ${channel}) failed for good: ${reason}`);
  }

  /** A worker round could not run (claiming rows failed: the database is away). */
  roundFailed(reason: string): void {
    if (this.roundsFailingSince) {
      this.logger.debug(`Outbox round failed again: ${reason}`);
      return;
    }
    this.roundsFailingSince = this.clock.now();
    this.logger.warn(`Outbox paused: its rounds fail (${reason}); messages wait and go out once a round succeeds`);
  }

  /** A worker round ran. */
  roundSucceeded(): void {
    if (!this.roundsFailingSince) {
      return;
    }
    this.logger.log(`Outbox resumed after ${this.since(this.roundsFailingSince)}`);
    this.roundsFailingSince = undefined;
  }

  /** Logs what happened since the last summary, if anything went wrong or a channel still fails. */
  summarize(): void {
    const { sent, retried, failed } = this.counts;
    this.counts = { sent: 0, retried: 0, failed: 0 };
    const failing = [...this.channels.entries()].filter(([, state]) => state.failingSince);
    if (retried === 0 && failed === 0 && failing.length === 0 && !this.roundsFailingSince) {
      return;
    }
    const still = failing.map(([channel, state]) => `${channel} failing for ${this.since(state.failingSince!)} (${state.lastError})`);
    if (this.roundsFailingSince) {
      still.push(`paused for ${this.since(this.roundsFailingSince)}`);
    }
    this.logger.warn(`Outbox since the last summary: ${sent} sent, ${retried} retried, ${failed} failed${still.length ? `; ${still.join('; ')}` : ''}`);
  }

  private failure(channel: string, reason: string): void {
    const state = this.channels.get(channel);
    if (state?.failingSince) {
      state.lastError = reason;
      return;
    }
    this.channels.set(channel, { failingSince: this.clock.now(), lastError: reason });
    this.logger.warn(`${label(channel)} delivery is failing (${reason}); messages stay in the outbox and are retried with backoff`);
  }

  private since(start: Date): string {
    return `${Math.max(0, Math.round((this.clock.now().getTime() - start.getTime()) / 1000))} s`;
  }
}

function label(channel: string): string {
  return channel === 'sms' ? 'SMS' : channel === 'email' ? 'Mail' : channel;
}
