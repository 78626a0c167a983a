import type { EntityManager } from 'typeorm';
import { MockMethods, strictMock } from '../../../../test/support/strict-mock';
import type { AuditService } from '../audit/audit.service';
import type { PasswordGuessBudget } from '../auth/password-guess-budget.service';
import type { CredentialRevocationService } from '../auth/credential-revocation.service';
import { ManualClock } from '../common/clock';
import { resolveOptions } from '../console-users.options';
import type { TransactionRunner } from '../database/transaction-runner';
import { ErrorCode } from '../errors/error-code';
import type { NotificationsService } from '../notifications/notifications.service';
import { rateLimitedError } from '../throttling/rate-limited.error';
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
  budget?: MockMethods<PasswordGuessBudget>;
  audit?: MockMethods<AuditService>;
  hasher?: MockMethods<PasswordHasher>;
}) {
  const users = strictMock<UsersRepository>('UsersRepository', deps.users);
  const revocation = strictMock<CredentialRevocationService>('CredentialRevocationService', deps.revocation);
  const verification = strictMock<VerificationService>('VerificationService', deps.verification);
  const notifications = strictMock<NotificationsService>('NotificationsService', deps.notifications);
  const budget = strictMock<PasswordGuessBudget>('PasswordGuessBudget', deps.budget);
  const audit = strictMock<AuditService>('AuditService', deps.audit);
  // A runner on a database with row locks, whose transactions hand out the one manager.
  const tx = { supportsLocking: true, run: async (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as TransactionRunner;
  const hasher = strictMock<PasswordHasher>('PasswordHasher', deps.hasher);
  const sut = new PasswordChangeUseCase(users, revocation, verification, notifications, budget, audit, tx, hasher, new ManualClock(NOW), options);
  return { sut, users, revocation, verification, notifications, budget, audit, hasher };
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
  const client = { ip: '203.0.113.5', knownClientKey: null };

  /** A budget whose reservation records whether it was given back. */
  function reserving() {
    const released: boolean[] = [];
    return {
      released,
      budget: {
        reserve: async () => {
          released.push(false);
          return { release: async () => void (released[released.length - 1] = true) };
        },
      },
    };
  }

  it('reserves a failure on the account before comparing and gives it back for the right password', async () => {
    const { released, budget } = reserving();
    const built = build({
      users: { findPasswordHash: async () => 'stored' },
      budget,
      hasher: { verify: async (stored: string, candidate: string) => stored === 'stored' && candidate === 'right' },
    });
    expect(await built.sut.checkCurrentPassword(ann, 'right', 'reject', client)).toBe(true);
    expect(jest.mocked(built.budget.reserve).mock.calls).toEqual([['id:7', client]]);
    expect(released).toEqual([true]);
  });

  it('keeps the reserved failure for a wrong guess', async () => {
    const { released, budget } = reserving();
    const { sut } = build({ users: { findPasswordHash: async () => 'stored' }, budget, hasher: { verify: async () => false } });
    expect(await sut.checkCurrentPassword(ann, 'wrong', 'reject', client)).toBe(false);
    expect(released).toEqual([false]);
  });

  it('refuses with RateLimited once the budget is spent, without comparing', async () => {
    const { sut, hasher } = build({
      users: { findPasswordHash: async () => 'stored' },
      budget: { reserve: async () => Promise.reject(rateLimitedError(new Date(NOW.getTime() + 60_000), NOW)) },
      hasher: { verify: async () => true },
    });
    await expect(sut.checkCurrentPassword(ann, 'right', 'reject', client)).rejects.toMatchObject({ code: ErrorCode.RateLimited });
    expect(jest.mocked(hasher.verify).mock.calls).toEqual([]);
  });

  it('an account without a password: accepted or refused as the caller says', async () => {
    const accepting = build({ users: { findPasswordHash: async () => null } });
    expect(await accepting.sut.checkCurrentPassword(ann, '', 'accept', client)).toBe(true);
    const rejecting = build({ users: { findPasswordHash: async () => null }, budget: reserving().budget });
    expect(await rejecting.sut.checkCurrentPassword(ann, 'anything', 'reject', client)).toBe(false);
  });
});
