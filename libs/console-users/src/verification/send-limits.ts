import type { EntityManager } from 'typeorm';
import type { ResolvedConsoleUsersOptions } from '../console-users.options';
import type { ConsoleUsersMetrics } from '../metrics/console-users-metrics';
import type { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';
import { VerificationChannel } from './verification-purpose';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The metric names of the three checks below, in their order. */
const SEND_LIMIT_NAMES = ['recipient-cooldown', 'recipient-per-hour', 'recipient-per-day'] as const;

/**
 * Counts one send to a recipient inside the issuing transaction: cooldown per (recipient,
 * purpose), then hourly and daily caps per recipient. Throws 429 with a retry-after when a
 * limit is hit; the caller's rollback then undoes the counts of this request.
 */
export async function countSend(
  limits: RateLimitRepository,
  manager: EntityManager,
  options: ResolvedConsoleUsersOptions['verification'],
  send: { purpose: string; channel: string; target: string },
  now: Date,
  metrics?: ConsoleUsersMetrics,
): Promise<void> {
  const sms = send.channel === VerificationChannel.Sms;
  const checks: [string, number, number][] = [
    [`send:cooldown:${send.purpose}:${send.channel}:${send.target}`, options.resendCooldownMs, 1],
    [`send:hour:${send.channel}:${send.target}`, HOUR, sms ? options.smsPerHour : options.emailsPerHour],
    [`send:day:${send.channel}:${send.target}`, DAY, sms ? options.smsPerDay : options.emailsPerDay],
  ];
  // One statement for all three counters; the whole transaction rolls back if one is over.
  const states = await limits.hitMany(
    checks.map(([key, windowMs]) => ({ key, windowMs })),
    now,
    manager,
  );
  checks.forEach(([, , max], i) => {
    const state = states[i]!;
    if (state.hits > max) {
      metrics?.rateLimited(SEND_LIMIT_NAMES[i]!);
      throw rateLimitedError(state.resetAt, now);
    }
  });
}
