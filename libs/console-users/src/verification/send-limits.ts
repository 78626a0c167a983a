import type { EntityManager } from 'typeorm';
import type { ResolvedConsoleUsersOptions } from '../console-users.options';
import type { ConsoleUsersMetrics } from '../metrics/console-users-metrics';
import type { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';
import { VerificationChannel, VerificationPurpose } from './verification-purpose';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The metric names of the three checks below, in their order. */
const SEND_LIMIT_NAMES = ['recipient-cooldown', 'recipient-per-hour', 'recipient-per-day'] as const;

/**
 * Purposes that share one hourly/daily budget per recipient. Each class has its own budget, so
 * requests of one class (anonymous sign-up codes to someone's address, say) cannot use up the
 * mails of another (that person's own password reset).
 */
export const SEND_CLASS_OF = {
  [VerificationPurpose.Register]: 'sign-up',
  [VerificationPurpose.Login]: 'sign-in',
  [VerificationPurpose.EmailVerify]: 'verification',
  [VerificationPurpose.Identity]: 'verification',
  [VerificationPurpose.ChangeEmail]: 'verification',
  [VerificationPurpose.ChangePhone]: 'verification',
  [VerificationPurpose.ResetPassword]: 'recovery',
  [VerificationPurpose.Recovery]: 'recovery',
} as const satisfies Record<VerificationPurpose, string>;

/** The budget class of a purpose; a purpose a host invents gets a class of its own. */
export function sendClassOf(purpose: string): string {
  return (SEND_CLASS_OF as Record<string, string>)[purpose] ?? purpose;
}

/**
 * Counts one send to a recipient inside the issuing transaction: cooldown per (recipient,
 * purpose), then hourly and daily caps per (recipient, purpose class). Throws 429 with a
 * retry-after when a limit is hit; the caller's rollback then undoes the counts of this request.
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
  const sendClass = sendClassOf(send.purpose);
  const checks: [string, number, number][] = [
    [`send:cooldown:${send.purpose}:${send.channel}:${send.target}`, options.resendCooldownMs, 1],
    [`send:hour:${sendClass}:${send.channel}:${send.target}`, HOUR, sms ? options.smsPerHour : options.emailsPerHour],
    [`send:day:${sendClass}:${send.channel}:${send.target}`, DAY, sms ? options.smsPerDay : options.emailsPerDay],
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
