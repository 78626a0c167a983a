import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import type { BucketState } from './rate-limit.repository';
import { RateLimitRepository } from './rate-limit.repository';

/** Record shape @nestjs/throttler expects (times in seconds). */
export interface StorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/** One hit on one window of a request (`ttl` in ms). */
export interface WindowHit {
  key: string;
  ttl: number;
  limit: number;
}

/**
 * A storage that counts all the windows of a request at once. The answer is what counting them
 * one after another would give: it stops at the first window over its limit (its record is the
 * last one returned) and the windows after that one are not counted.
 */
export interface WindowsThrottlerStorage extends ThrottlerStorage {
  incrementInOrder(hits: WindowHit[]): Promise<StorageRecord[]>;
}

/**
 * @nestjs/throttler storage on our database counters: one atomic upsert per hit, shared by all
 * instances and kept across restarts (the default in-memory storage is neither).
 */
@Injectable()
export class DatabaseThrottlerStorage implements WindowsThrottlerStorage {
  constructor(
    private readonly limits: RateLimitRepository,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number): Promise<StorageRecord> {
    const now = this.clock.now();
    return recordOf(await this.limits.hit(`throttle:${key}`, ttl, now), limit, now);
  }

  /**
   * Every window in one upsert (a send is counted per minute and per hour: one write instead of
   * two on every request); the windows after one over its limit are given their hit back.
   */
  async incrementInOrder(hits: WindowHit[]): Promise<StorageRecord[]> {
    const now = this.clock.now();
    const states = await this.limits.hitMany(
      hits.map((hit) => ({ key: `throttle:${hit.key}`, windowMs: hit.ttl })),
      now,
    );
    const records: StorageRecord[] = [];
    for (const [i, hit] of hits.entries()) {
      const record = recordOf(states[i]!, hit.limit, now);
      records.push(record);
      if (record.isBlocked) {
        await this.limits.releaseMany(
          hits.slice(i + 1).map((later) => `throttle:${later.key}`),
          now,
        );
        break;
      }
    }
    return records;
  }
}

function recordOf(state: BucketState, limit: number, now: Date): StorageRecord {
  const seconds = Math.max(1, Math.ceil((state.resetAt.getTime() - now.getTime()) / 1000));
  return { totalHits: state.hits, timeToExpire: seconds, isBlocked: state.hits > limit, timeToBlockExpire: seconds };
}
