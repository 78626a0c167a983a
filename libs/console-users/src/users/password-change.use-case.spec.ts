import type { EntityManager } from 'typeorm';
import { MockMethods, strictMock } from '../../../../test/support/strict-mock';
import type { AuditService } from '../audit/audit.service';
import { accountFailureKey } from '../auth/login.service';
import type { CredentialRevocationService } from '../auth/credential-revocation.service';
import { ManualClock } from '../common/clock';
import { resolveOptions } from '../console-users.options';
import type { TransactionRunner } from '../database/transaction-runner';
import { ErrorCode } from '../errors/error-code';
import type { NotificationsService } from '../notifications/notifications.service';
import type { RateLimitRepository } from '../throttling/rate-limit.repository';
import { VerificationPurpose } from '../verification/verification-purpose';
import type { VerificationService } from '../verification/verification.service';
import { PasswordChangeUseCase } from './password-change.use-case';
import type { PasswordHasher } from './password-hasher';
import type { UserEntity } from './user.entity';
import type { UsersRepository } from './users.repository';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const options = resolveOptions({ publicUrl: 'http://console.test', appSecret: 'k'.repeat(32), dataDir: '/tmp' });
const manager = { name: 'the transaction' } as unknown as EntityManager;
const ann = { id: 7, name: 'ann', displayName: 'Ann', annotations: {}, emailLower: 'ann@example.test' } as unknown as UserEntity;

function build(deps: {
  users?: MockMethods<UsersRepository>;
  revocation?: MockMethods<CredentialRevocationService>;
  verification?: MockMethods<VerificationService>;
  notifications?: MockMethods<NotificationsService>;
  limits?: MockMethods<RateLimitRepository>;
  audit?: MockMethods<AuditService>;
  hasher?: MockMethods<PasswordHasher>;
}) {
  const users = strictMock<UsersRepository>('UsersRepository', deps.users);
  const revocation = strictMock<CredentialRevocationService>('CredentialRevocationService', deps.revocation);
  const verification = strictMock<VerificationService>('VerificationService', deps.verification);
  const notifications = strictMock<NotificationsService>('NotificationsService', deps.notifications);
  const limits = strictMock<RateLimitRepository>('RateLimitRepository', deps.limits);
  const audit = strictMock<AuditService>('AuditService', deps.audit);
  // A runner on a database with row locks, whose transactions hand out the one manager.
  const tx = { supportsLocking: true, run: async (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as TransactionRunner;
  const hasher = strictMock<PasswordHasher>('PasswordHasher', deps.hasher);
  const sut = new PasswordChangeUseCase(users, revocation, verification, notifications, limits, audit, tx, hasher, new ManualClock(NOW), options);
  return { sut, users, revocation, verification, notifications, limits, audit, hasher };
}

const writes = (): MockMethods<UsersRepository> => ({
  findById: async () => ann,
  update: async () => true,
});

describe('PasswordChangeUseCase.changePassword', () => {
  it('writes the hash, ends sessions, tokens and the named secrets, audits and queues the notice in the one transaction', async () => {
    const { sut, users, revocation, verification, audit, notifications } = build({
      users: writes(),
      revocation: { revokeEverything: async () => ({ sessions: 2, tokens: 1 }) },
      verification: { revokeForUser: async () => 1 },
      audit: { record: async () => undefined },
      notifications: { enqueue: async () => 1 },
    });

    await sut.changePassword(
      {
        userId: 7,
        passwordHash: 'hash',
        alsoEnd: [VerificationPurpose.Login],
        audit: { actor: 'ann', action: 'password.reset', ip: '10.0.0.1', details: { channel: 'email' }, countRevoked: true },
        notice: (user) => ({ channel: 'email', recipient: user.emailLower!, template: 'password-reset-done', locale: 'en', variables: {} }),
      },
      manager,
    );

    expect(jest.mocked(users.update).mock.calls).toEqual([[manager, ann, { passwordHash: 'hash' }, NOW]]);
    expect(jest.mocked(revocation.revokeEverything).mock.calls).toEqual([[7, manager]]);
    expect(jest.mocked(verification.revokeForUser).mock.calls).toEqual([[7, [VerificationPurpose.Login], manager]]);
    expect(jest.mocked(audit.record).mock.calls).toEqual([
      [
        {
          actor: 'ann',
          action: 'password.reset',
          ip: '10.0.0.1',
          target: 'ann',
          outcome: 'success',
          details: { channel: 'email', sessionsEnded: '2', patsEnded: '1' },
        },
        manager,
      ],
    ]);
    expect(jest.mocked(notifications.enqueue).mock.calls.length).toBe(1);
    expect(jest.mocked(notifications.enqueue).mock.calls[0]![0]).toBe(manager);
  });

  it('writes what the check returns with the hash, and nothing when the check refuses', async () => {
    const { sut, users } = build({
      users: writes(),
      revocation: { revokeEverything: async () => ({ sessions: 0, tokens: 0 }) },
      audit: { record: async () => undefined },
    });
    await sut.changePassword(
      { userId: 7, passwordHash: 'hash', check: () => ({ emailVerified: true }), audit: { actor: 'ann', action: 'recovery.complete' } },
      manager,
    );
    expect(jest.mocked(users.update).mock.calls[0]![2]).toEqual({ emailVerified: true, passwordHash: 'hash' });

    const refusing = build({ users: { findById: async () => ann } });
    await expect(refusing.sut.changePassword(
        {
          userId: 7,
          passwordHash: 'hash',
          check: () => {
            throw new Error('refused');
          },
          audit: { actor: 'ann', action: 'x' },
        },
        manager,
      )).rejects.toThrow(/refused/);
  });

  it('locks the row when asked, opens its own transaction without one, and fails NotFound for a vanished user', async () => {
    const { sut, users } = build({ users: { findByIdForUpdate: async () => null } });
    await expect(sut.changePassword({ userId: 7, passwordHash: 'hash', lock: true, audit: { actor: 'ann', action: 'x' } })).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect(jest.mocked(users.findByIdForUpdate).mock.calls).toEqual([[manager, 7, true]]);
  });
});

describe('PasswordChangeUseCase.checkCurrentPassword', () => {
  const key = accountFailureKey('ann');

  it('accepts the right password without counting', async () => {
    const { sut, limits } = build({
      users: { findPasswordHash: async () => 'stored' },
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }) },
      hasher: { verify: async (stored: string, candidate: string) => stored === 'stored' && candidate === 'right' },
    });
    expect(await sut.checkCurrentPassword(ann, 'right', 'reject')).toBe(true);
    expect(jest.mocked(limits.peek).mock.calls).toEqual([[key, NOW]]);
  });

  it('counts a wrong guess on the login failure bucket of the account', async () => {
    const { sut, limits } = build({
      users: { findPasswordHash: async () => 'stored' },
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }), hit: async () => ({ hits: 1, resetAt: NOW }) },
      hasher: { verify: async () => false },
    });
    expect(await sut.checkCurrentPassword(ann, 'wrong', 'reject')).toBe(false);
    expect(jest.mocked(limits.hit).mock.calls).toEqual([[key, options.loginLimits.accountWindowMs, NOW]]);
  });

  it('refuses with RateLimited once the budget is spent, before comparing', async () => {
    const { sut } = build({
      users: { findPasswordHash: async () => 'stored' },
      limits: { peek: async () => ({ hits: options.loginLimits.accountFailures, resetAt: new Date(NOW.getTime() + 60_000) }) },
    });
    await expect(sut.checkCurrentPassword(ann, 'right', 'reject')).rejects.toMatchObject({ code: ErrorCode.RateLimited });
  });

  it('an account without a password: accepted or refused as the caller says', async () => {
    const accepting = build({ users: { findPasswordHash: async () => null } });
    expect(await accepting.sut.checkCurrentPassword(ann, '', 'accept')).toBe(true);
    const rejecting = build({
      users: { findPasswordHash: async () => null },
      limits: { peek: async () => ({ hits: 0, resetAt: NOW }), hit: async () => ({ hits: 1, resetAt: NOW }) },
    });
    expect(await rejecting.sut.checkCurrentPassword(ann, 'anything', 'reject')).toBe(false);
  });
});
