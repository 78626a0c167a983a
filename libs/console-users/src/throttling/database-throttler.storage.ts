import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { RateLimitRepository } from './rate-limit.repository';

/** Record shape @nestjs/throttler expects (times in seconds). */
interface StorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * @nestjs/throttler storage on our database counters: one atomic upsert per hit, shared by all
 * instances and kept across restarts (the default in-memory storage is neither).
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly limits: RateLimitRepository,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number): Promise<StorageRecord> {
    const now = this.clock.now();
    const state = await this.limits.hit(`throttle:${key}`, ttl, now);
    const seconds = Math.max(1, Math.ceil((state.resetAt.getTime() - now.getTime()) / 1000));
    return { totalHits: state.hits, timeToExpire: seconds, isBlocked: state.hits > limit, timeToBlockExpire: seconds };
  }
}
