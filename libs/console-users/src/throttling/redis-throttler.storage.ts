import { createHash } from 'node:crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { Clock, SystemClock } from '../common/clock';

/**
 * The part of a Redis client the storage needs; an `ioredis` instance fits, so the library
 * itself does not depend on a Redis package.
 */
export interface RedisScriptClient {
  evalsha(sha: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link RedisThrottlerStorage}. */
export interface RedisThrottlerStorageOptions {
  /** Prefix of every key (default `console-users:throttle:`), to share a Redis with other data. */
  keyPrefix?: string;
  /** The clock that decides when a window ends; pass the one the module uses (default: system time). */
  clock?: Clock;
}

/**
 * One hit on a fixed window, atomically: Redis runs a script without interleaving, so the
 * check-reset-increment below is a single step however many instances hit the key at once.
 * The window end is kept in the hash and compared with the caller's clock (the same clock the
 * database counters read, so both storages agree and tests can move time); PEXPIRE only lets
 * Redis drop the key once the window is over.
 *
 * KEYS[1] key; ARGV[1] now (ms); ARGV[2] window (ms). Returns {hits, resetAt}.
 */
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local reset = tonumber(redis.call('HGET', KEYS[1], 'reset') or '0')
if reset <= now then
  reset = now + window
  redis.call('HSET', KEYS[1], 'hits', 1, 'reset', reset)
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, reset}
end
local hits = redis.call('HINCRBY', KEYS[1], 'hits', 1)
return {hits, reset}
`;

const HIT_SCRIPT_SHA = createHash('sha1').update(HIT_SCRIPT).digest('hex');

/**
 * `@nestjs/throttler` storage on Redis, for several instances sharing one set of per-IP limits
 * (pass it as `throttling.storage`). Each hit is one atomic script; nothing is kept in memory.
 * The verification engine's own counters (cooldowns, per-recipient and per-account caps) stay
 * in the database, where they commit with the code they count.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly prefix: string;
  private readonly clock: Clock;

  constructor(
    private readonly redis: RedisScriptClient,
    options: RedisThrottlerStorageOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'console-users:throttle:';
    this.clock = options.clock ?? new SystemClock();
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now().getTime();
    const [hits, resetAt] = await this.hit(this.prefix + key, now, ttl);
    const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
    return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: seconds };
  }

  private async hit(key: string, now: number, windowMs: number): Promise<[number, number]> {
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(HIT_SCRIPT_SHA, 1, key, now, windowMs);
    } catch (error) {
      // First use on this Redis (or after SCRIPT FLUSH): send the script itself, which caches it.
      if (!String((error as Error)?.message).includes('NOSCRIPT')) {
        throw error;
      }
      reply = await this.redis.eval(HIT_SCRIPT, 1, key, now, windowMs);
    }
    const [hits, resetAt] = reply as [number | string, number | string];
    return [Number(hits), Number(resetAt)];
  }
}
