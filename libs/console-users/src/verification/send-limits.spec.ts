import type { EntityManager } from 'typeorm';
import { strictMock } from '../../../../test/support/strict-mock';
import { resolveOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { BucketState, RateLimitRepository } from '../throttling/rate-limit.repository';
import { countSend } from './send-limits';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const options = resolveOptions({ publicUrl: 'http://console.test', appSecret: 'x'.repeat(32), dataDir: '/tmp' }).verification;
const manager = {} as EntityManager;

/** A counter repository answering each key with the given hit count (1 when not listed). */
function limitsWith(hits: Record<string, number> = {}): RateLimitRepository {
  return strictMock<RateLimitRepository>('RateLimitRepository', {
    hitMany: async (entries: { key: string; windowMs: number }[]): Promise<BucketState[]> =>
      entries.map(({ key, windowMs }) => ({ hits: hits[key] ?? 1, resetAt: new Date(NOW.getTime() + windowMs - 1_500) })),
  });
}

const emailSend = { purpose: 'email-verify', channel: 'email', target: 'ann@example.test' };

describe('countSend', () => {
  it('counts cooldown per (recipient, purpose), then hour and day per (recipient, purpose class), in the caller\'s transaction', async () => {
    const sut = limitsWith();
    await countSend(sut, manager, options, emailSend, NOW);
    const calls = jest.mocked(sut.hitMany).mock.calls;
    expect(calls.length).toBe(1); // one statement for the three counters
    const [entries, now, txn] = calls[0]!;
    expect(entries).toEqual([
      { key: 'send:cooldown:email-verify:email:ann@example.test', windowMs: MINUTE },
      { key: 'send:hour:verification:email:ann@example.test', windowMs: HOUR },
      { key: 'send:day:verification:email:ann@example.test', windowMs: DAY },
    ]);
    expect(now).toBe(NOW);
    expect(txn).toBe(manager);
  });

  it('lets the fifth mail of the hour and the tenth of the day through', async () => {
    const sut = limitsWith({ 'send:hour:verification:email:ann@example.test': 5, 'send:day:verification:email:ann@example.test': 10 });
    await countSend(sut, manager, options, emailSend, NOW);
  });

  for (const [limit, key, hits] of [
    ['the 60 s cooldown', 'send:cooldown:email-verify:email:ann@example.test', 2],
    ['5 per hour', 'send:hour:verification:email:ann@example.test', 6],
    ['10 per day', 'send:day:verification:email:ann@example.test', 11],
  ] as const) {
    it(`refuses above ${limit} with 429 and the seconds left in that window`, async () => {
      const sut = limitsWith({ [key]: hits });
      const window = key.includes('cooldown') ? MINUTE : key.includes('hour') ? HOUR : DAY;
      const send = countSend(sut, manager, options, emailSend, NOW);
      await expect(send).rejects.toBeInstanceOf(DomainError);
      await expect(send).rejects.toMatchObject({ code: ErrorCode.RateLimited, options: { retryAfterSeconds: Math.ceil((window - 1_500) / 1000) } });
    });
  }

  it('answers with the window of the first limit exceeded, in the order cooldown, hour, day', async () => {
    const sut = limitsWith({ 'send:hour:verification:email:ann@example.test': 6, 'send:day:verification:email:ann@example.test': 11 });
    const send = countSend(sut, manager, options, emailSend, NOW);
    await expect(send).rejects.toBeInstanceOf(DomainError);
    await expect(send).rejects.toMatchObject({ options: { retryAfterSeconds: Math.ceil((HOUR - 1_500) / 1000) } });
  });

  it('uses the SMS caps (3 per hour) for SMS', async () => {
    const sut = limitsWith({ 'send:hour:sign-in:sms:+4915112345678': 4 });
    await expect(countSend(sut, manager, options, { purpose: 'login', channel: 'sms', target: '+4915112345678' }, NOW)).rejects.toMatchObject({ code: ErrorCode.RateLimited });
    const ok = limitsWith({ 'send:hour:sign-in:sms:+4915112345678': 3, 'send:day:sign-in:sms:+4915112345678': 10 });
    await countSend(ok, manager, options, { purpose: 'login', channel: 'sms', target: '+4915112345678' }, NOW);
  });
});

describe('purpose classes', () => {
  it('sign-up, sign-in, verification and recovery sends count against budgets of their own', async () => {
    const sut = limitsWith();
    for (const purpose of ['register', 'login', 'email-verify', 'reset-password']) {
      await countSend(sut, manager, options, { purpose, channel: 'email', target: 'ann@example.test' }, NOW);
    }
    const hourKeys = jest.mocked(sut.hitMany).mock.calls.map(([entries]) => entries[1]!.key);
    expect(hourKeys).toEqual([
      'send:hour:sign-up:email:ann@example.test',
      'send:hour:sign-in:email:ann@example.test',
      'send:hour:verification:email:ann@example.test',
      'send:hour:recovery:email:ann@example.test',
    ]);
  });

  it('a full sign-up budget does not refuse a reset mail', async () => {
    const sut = limitsWith({ 'send:hour:sign-up:email:ann@example.test': 6, 'send:day:sign-up:email:ann@example.test': 11 });
    await countSend(sut, manager, options, { purpose: 'reset-password', channel: 'email', target: 'ann@example.test' }, NOW);
    await expect(countSend(sut, manager, options, { purpose: 'register', channel: 'email', target: 'ann@example.test' }, NOW)).rejects.toMatchObject({ code: ErrorCode.RateLimited });
  });
});
