import type { DataSource, EntityManager } from 'typeorm';
import { MockMethods, strictMock } from '../../../../test/support/strict-mock';
import { ManualClock } from '../common/clock';
import { resolveOptions } from '../console-users.options';
import { ErrorCode } from '../errors/error-code';
import type { NotificationsService } from '../notifications/notifications.service';
import type { BucketState, RateLimitRepository } from '../throttling/rate-limit.repository';
import { SecretHasher } from './code-secrets';
import type { VerificationCodeEntity } from './verification-code.entity';
import type { CodeWithHash, VerificationCodesRepository } from './verification-codes.repository';
import { SecretKind, VerificationChannel, VerificationPurpose } from './verification-purpose';
import { VerificationService } from './verification.service';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const MINUTE = 60_000;
const options = resolveOptions({ publicUrl: 'http://console.test', appSecret: 'k'.repeat(32), dataDir: '/tmp' });
const hasher = new SecretHasher(Buffer.alloc(32, 7));
const manager = { name: 'the transaction' } as unknown as EntityManager;
const db = strictMock<DataSource>('DataSource', { transaction: (async (fn: (m: EntityManager) => Promise<unknown>) => fn(manager)) as never });

function build(deps: {
  codes?: MockMethods<VerificationCodesRepository>;
  limits?: MockMethods<RateLimitRepository>;
  notifications?: MockMethods<NotificationsService>;
}) {
  const codes = strictMock<VerificationCodesRepository>('VerificationCodesRepository', deps.codes);
  const limits = strictMock<RateLimitRepository>('RateLimitRepository', deps.limits);
  const notifications = strictMock<NotificationsService>('NotificationsService', deps.notifications);
  const clock = new ManualClock(NOW);
  const sut = new VerificationService(codes, limits, notifications, hasher, db, clock, options);
  return { sut, codes, limits, notifications, clock };
}

const fresh = (hits = 1): MockMethods<RateLimitRepository> => ({
  hit: async (_key: string, windowMs: number): Promise<BucketState> => ({ hits, resetAt: new Date(NOW.getTime() + windowMs) }),
  hitMany: async (entries: { key: string; windowMs: number }[]): Promise<BucketState[]> =>
    entries.map(({ windowMs }) => ({ hits, resetAt: new Date(NOW.getTime() + windowMs) })),
});

function stored(code: string, overrides: Partial<VerificationCodeEntity> = {}): CodeWithHash {
  return {
    id: 41,
    purpose: VerificationPurpose.EmailVerify,
    channel: VerificationChannel.Email,
    kind: SecretKind.Code,
    target: 'ann@example.test',
    userId: 7,
    secretHash: hasher.hashCode(code),
    attempts: 0,
    maxAttempts: 5,
    createdAt: NOW,
    expiresAt: new Date(NOW.getTime() + 10 * MINUTE),
    consumedAt: null,
    revokedAt: null,
    urlTemplate: null,
    context: { pending: 'yes' },
    ...overrides,
  };
}

const verifyRequest = (code: string) => ({
  purpose: VerificationPurpose.EmailVerify,
  channel: VerificationChannel.Email,
  target: 'ann@example.test',
  code,
  accountKey: 'user:7',
  userId: 7,
});

describe('VerificationService.issue', () => {
  const delivery = { template: 'email-verify', locale: 'en', variables: (code: string) => ({ code }) };
  const emailCode = { purpose: VerificationPurpose.EmailVerify, channel: VerificationChannel.Email, target: 'ann@example.test', userId: 7, delivery };

  it('counts the send, replaces live codes, stores only the HMAC and queues the mail in one transaction', async () => {
    const order: string[] = [];
    const { sut, codes, notifications, limits } = build({
      limits: {
        hitMany: async (entries: { key: string; windowMs: number }[]) =>
          entries.map(({ key, windowMs }) => (order.push(`hit ${key.split(':')[1]}`), { hits: 1, resetAt: new Date(NOW.getTime() + windowMs) })),
      },
      codes: {
        revokeLive: async () => void order.push('revoke'),
        insert: async () => (order.push('insert'), 41),
      },
      notifications: { enqueue: async () => (order.push('enqueue'), 1), notifyCommitted: () => void order.push('notify') },
    });
    const issued = await sut.issue(emailCode);

    expect(order).toEqual(['hit cooldown', 'hit hour', 'hit day', 'revoke', 'insert', 'enqueue', 'notify']);
    expect(issued.secret).toMatch(/^\d{6}$/);
    expect(issued.expiresAt.getTime()).toBe(NOW.getTime() + 10 * MINUTE);
    expect(jest.mocked(limits.hitMany).mock.calls.every((args) => args[2] === manager)).toBeTruthy(); // counted inside the transaction
    expect(jest.mocked(codes.revokeLive).mock.calls[0]).toEqual([manager, 'email-verify', 'email', 'ann@example.test', 7, NOW]);
    const [txn, row] = jest.mocked(codes.insert).mock.calls[0] as [EntityManager, VerificationCodeEntity];
    expect(txn).toBe(manager);
    expect(row.secretHash).toBe(hasher.hashCode(issued.secret));
    expect(JSON.stringify(row).includes(`"${issued.secret}"`)).toBe(false); // the plain code is not stored
    expect(row.maxAttempts).toBe(5);
    const [enqueueTxn, message] = jest.mocked(notifications.enqueue).mock.calls[0]!;
    expect(enqueueTxn).toBe(manager);
    expect([message.recipient, message.variables.code, message.verificationCodeId]).toEqual(['ann@example.test', issued.secret, 41]);
  });

  it('a send refused by a limit writes nothing', async () => {
    const { sut, codes } = build({ limits: fresh(2), codes: {}, notifications: {} });
    await expect(sut.issue(emailCode)).rejects.toMatchObject({ code: ErrorCode.RateLimited });
    expect(codes).toBeTruthy(); // no code was revoked or inserted (the strict mock would have thrown)
  });

  it('SMS codes live 5 minutes; link tokens are single-try and stored as SHA-256', async () => {
    const { sut, codes } = build({ limits: fresh(), codes: { revokeLive: async () => undefined, insert: async () => 1 } });
    const sms = await sut.issue({ purpose: VerificationPurpose.Login, channel: VerificationChannel.Sms, target: '+4915112345678', delivery: null });
    expect(sms.expiresAt.getTime()).toBe(NOW.getTime() + 5 * MINUTE);
    const link = await sut.issue({ ...emailCode, kind: SecretKind.Link, purpose: VerificationPurpose.Recovery, delivery: null, enforceLimits: false });
    expect(link.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = jest.mocked(codes.insert).mock.calls[1]![1] as VerificationCodeEntity;
    expect([row.kind, row.maxAttempts, row.secretHash]).toEqual([SecretKind.Link, 1, hasher.hashLinkToken(link.secret)]);
  });

  it('enforceLimits: false counts nothing; delivery: null queues nothing', async () => {
    const { sut } = build({ codes: { revokeLive: async () => undefined, insert: async () => 1 } });
    await sut.issue({ ...emailCode, delivery: null, enforceLimits: false });
  });
});

describe('VerificationService.verifyCode', () => {
  const failureCounted = (limits: RateLimitRepository) => jest.mocked(limits.hit).mock.calls.map(([key, windowMs]) => [key, windowMs]);

  it('20 failed verifies in the hour: 429 before any code is looked at', async () => {
    const { sut } = build({ limits: { peek: async () => ({ hits: 20, resetAt: new Date(NOW.getTime() + 1_800_000) }) } });
    await expect(sut.verifyCode(verifyRequest('123456'))).rejects.toMatchObject({ code: ErrorCode.RateLimited, options: { retryAfterSeconds: 1_800 } });
  });

  it('the right code is consumed (the consume requires tries left) and uses no try', async () => {
    const { sut, codes } = build({
      limits: { peek: async () => ({ hits: 19, resetAt: NOW }) },
      codes: { findLatest: async () => stored('123456'), consume: async () => true },
    });
    const verified = await sut.verifyCode(verifyRequest(' 123456 '));
    expect(verified).toEqual({ id: 41, userId: 7, target: 'ann@example.test', context: { pending: 'yes' } });
    expect(jest.mocked(codes.findLatest).mock.calls[0]).toEqual(['email-verify', 'email', 'ann@example.test', 7]);
    expect(jest.mocked(codes.consume).mock.calls[0]).toEqual([41, NOW]);
  });

  it('a wrong code: attempt counted, burned if that was the last, failure counted for the account', async () => {
    const { sut, codes, limits } = build({
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }), ...fresh() },
      codes: { findLatest: async () => stored('123456'), registerAttempt: async () => true, burnIfExhausted: async () => undefined },
    });
    await expect(sut.verifyCode(verifyRequest('654321'))).rejects.toMatchObject({ code: ErrorCode.VerificationFailed });
    expect(jest.mocked(codes.burnIfExhausted).mock.calls[0]).toEqual([41, NOW]);
    expect(failureCounted(limits)).toEqual([['verify-fail:user:7', 3_600_000]]);
  });

  it('input that is not digits never matches', async () => {
    const { sut } = build({
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }), ...fresh() },
      codes: { findLatest: async () => stored('123456'), registerAttempt: async () => true, burnIfExhausted: async () => undefined },
    });
    await expect(sut.verifyCode(verifyRequest('12345a'))).rejects.toMatchObject({ code: ErrorCode.VerificationFailed });
  });

  it('no try left (a wrong guess lost the race for the fifth): attempts exceeded, no failure counted', async () => {
    const { sut } = build({
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }) },
      codes: { findLatest: async () => stored('123456', { attempts: 4 }), registerAttempt: async () => false, findById: async () => stored('123456', { attempts: 5 }) },
    });
    await expect(sut.verifyCode(verifyRequest('654321'))).rejects.toMatchObject({ code: ErrorCode.VerificationAttemptsExceeded });
  });

  it('a burned code says so, even for the right code, and counts no failure', async () => {
    const { sut } = build({
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }) },
      codes: {
        findLatest: async () => stored('123456', { attempts: 5, revokedAt: NOW }),
        consume: async () => false,
        findById: async () => stored('123456', { attempts: 5, revokedAt: NOW }),
      },
    });
    await expect(sut.verifyCode(verifyRequest('123456'))).rejects.toMatchObject({ code: ErrorCode.VerificationAttemptsExceeded });
    await expect(sut.verifyCode(verifyRequest('654321'))).rejects.toMatchObject({ code: ErrorCode.VerificationAttemptsExceeded });
  });

  it('TTL edge: valid one millisecond before expiry, invalid at expiry, and an expired code counts nothing', async () => {
    const { sut, clock } = build({
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }) },
      codes: { findLatest: async () => stored('123456'), consume: async () => true },
    });
    clock.set(new Date(NOW.getTime() + 10 * MINUTE - 1));
    await sut.verifyCode(verifyRequest('123456'));
    clock.set(new Date(NOW.getTime() + 10 * MINUTE));
    await expect(sut.verifyCode(verifyRequest('654321'))).rejects.toMatchObject({ code: ErrorCode.VerificationFailed });
  });

  it('a wrong guess while no code is live (replaced, used, expired or none) is a generic failure that counts nothing', async () => {
    for (const code of [stored('123456', { revokedAt: NOW }), stored('123456', { consumedAt: NOW }), stored('123456', { expiresAt: NOW }), null]) {
      const { sut } = build({ limits: { peek: async () => ({ hits: 0, resetAt: NOW }) }, codes: { findLatest: async () => code } });
      await expect(sut.verifyCode(verifyRequest('654321'))).rejects.toMatchObject({ code: ErrorCode.VerificationFailed });
    }
  });

  it('the right code again after it was used: "already used", nothing counted', async () => {
    const used = stored('123456', { consumedAt: NOW });
    const { sut } = build({ limits: { peek: async () => ({ hits: 0, resetAt: NOW }) }, codes: { findLatest: async () => used, consume: async () => false, findById: async () => used } });
    await expect(sut.verifyCode(verifyRequest('123456'))).rejects.toMatchObject({ code: ErrorCode.VerificationCodeUsed });
  });

  it('a link token is never accepted as a typed code', async () => {
    const { sut } = build({
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }) },
      codes: { findLatest: async () => stored('123456', { kind: SecretKind.Link }) },
    });
    await expect(sut.verifyCode(verifyRequest('123456'))).rejects.toMatchObject({ code: ErrorCode.VerificationFailed });
  });

  it('the right code that a parallel request consumed first: "already used"', async () => {
    const { sut } = build({
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }) },
      codes: { findLatest: async () => stored('123456'), consume: async () => false, findById: async () => stored('123456', { consumedAt: NOW }) },
    });
    await expect(sut.verifyCode(verifyRequest('123456'))).rejects.toMatchObject({ code: ErrorCode.VerificationCodeUsed });
  });
});
