import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { OutboxRepository } from '../notifications/outbox.repository';
import { ConsoleUsersMetrics, ScrapeTimeSource } from './console-users-metrics';

/** A scrape must answer even while the database hangs: readings that take longer are skipped. */
const READING_TIMEOUT_MS = 1_000;

/** The pg pool's counters (TypeORM's PostgreSQL driver keeps it as `master`). */
interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** Readings taken when Prometheus scrapes: the outbox queue and the database pool. */
@Injectable()
export class DatabaseReadings implements ScrapeTimeSource, OnModuleInit {
  private readonly channelsSeen = new Set<string>(['email', 'sms']);

  constructor(
    private readonly metrics: ConsoleUsersMetrics,
    private readonly outbox: OutboxRepository,
    @Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.metrics.addSource(this);
  }

  async collect(metrics: ConsoleUsersMetrics): Promise<void> {
    this.readPool(metrics);
    await this.readOutbox(metrics);
  }

  private async readOutbox(metrics: ConsoleUsersMetrics): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const summary = await Promise.race([
        this.outbox.pendingSummary(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), READING_TIMEOUT_MS);
        }),
      ]);
      const now = this.clock.now().getTime();
      // A channel whose queue emptied must read 0, not keep its last value.
      for (const channel of this.channelsSeen) {
        metrics.outboxPending.set({ channel }, 0);
        metrics.outboxOldestPendingAge.set({ channel }, 0);
      }
      for (const row of summary) {
        this.channelsSeen.add(row.channel);
        metrics.outboxPending.set({ channel: row.channel }, row.count);
        metrics.outboxOldestPendingAge.set({ channel: row.channel }, Math.max(0, (now - row.oldestCreatedAt.getTime()) / 1000));
      }
    } catch {
      metrics.scrapeErrors.inc({ source: 'outbox' });
    } finally {
      clearTimeout(timer);
    }
  }

  private readPool(metrics: ConsoleUsersMetrics): void {
    const pool = (this.db.driver as unknown as { master?: PgPoolCounters }).master;
    if (!pool || typeof pool.totalCount !== 'number') {
      return; // SQLite: one connection, no pool to report
    }
    metrics.dbPool.set({ state: 'active' }, pool.totalCount - pool.idleCount);
    metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
    metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
    if (typeof pool.options?.max === 'number') {
      metrics.dbPool.set({ state: 'max' }, pool.options.max);
    }
  }
}
