import type { EntityManager } from 'typeorm';
import { MockMethods, strictMock } from '../../../../test/support/strict-mock';
import type { AuditService } from '../audit/audit.service';
import { ManualClock } from '../common/clock';
import type { NotificationsService } from '../notifications/notifications.service';
import { VerificationPurpose } from '../verification/verification-purpose';
import type { VerificationService } from '../verification/verification.service';
import { EmailAddressUseCase, PURPOSES_BOUND_TO_ADDRESS } from './email-address.use-case';
import { EMAIL_TO_VERIFY_ANNOTATION } from './user-annotations';
import type { UserEntity } from './user.entity';
import type { UsersRepository } from './users.repository';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const manager = { name: 'the transaction' } as unknown as EntityManager;

function user(overrides: Partial<UserEntity> = {}): UserEntity {
  return {
    id: 7,
    name: 'ann',
    displayName: 'Ann',
    email: 'Ann@Example.test',
    emailLower: 'ann@example.test',
    emailVerified: true,
    disabled: false,
    language: null,
    annotations: { [EMAIL_TO_VERIFY_ANNOTATION]: 'new@example.test', other: 'kept' },
    ...overrides,
  } as unknown as UserEntity;
}

function build(deps: {
  users?: MockMethods<UsersRepository>;
  verification?: MockMethods<VerificationService>;
  notifications?: MockMethods<NotificationsService>;
  audit?: MockMethods<AuditService>;
}) {
  const users = strictMock<UsersRepository>('UsersRepository', deps.users);
  const verification = strictMock<VerificationService>('VerificationService', deps.verification);
  const notifications = strictMock<NotificationsService>('NotificationsService', deps.notifications);
  const audit = strictMock<AuditService>('AuditService', deps.audit);
  const sut = new EmailAddressUseCase(users, verification, notifications, audit, new ManualClock(NOW));
  return { sut, users, verification, notifications, audit };
}

describe('EmailAddressUseCase.changeEmail', () => {
  it('a new address ends the secrets bound to the old one and tells the old verified address', async () => {
    const ann = user();
    const { sut, users, verification, notifications } = build({
      users: { findById: async () => ann, update: async () => true },
      verification: { revokeForUser: async () => 1 },
      notifications: { enqueue: async () => 1 },
    });

    const result = await sut.changeEmail(manager, { userId: 7, email: 'New@Example.test', verified: false, clearPending: true });

    expect(result.changed).toBe(true);
    expect(result.previous).toBe('Ann@Example.test');
    expect(jest.mocked(users.update).mock.calls[0]).toEqual([manager, ann, { email: 'New@Example.test', emailVerified: false, annotations: { other: 'kept' } }, NOW]);
    expect(jest.mocked(verification.revokeForUser).mock.calls).toEqual([[7, [...PURPOSES_BOUND_TO_ADDRESS], manager]]);
    const [, notice] = jest.mocked(notifications.enqueue).mock.calls[0]!;
    expect(notice).toEqual({
      channel: 'email',
      recipient: 'ann@example.test',
      template: 'email-changed',
      locale: 'en',
      variables: { username: 'ann', newEmail: expect.any(String) },
    });
    expect(JSON.stringify(notice)).not.toMatch(/new@example\.test/);
  });

  it('the same address ends only what the caller names, keeps the pending annotation unless asked, and tells nobody', async () => {
    const ann = user({ emailVerified: false });
    const { sut, users, verification } = build({
      users: { findById: async () => ann, update: async () => true },
      verification: { revokeForUser: async () => 1 },
    });
    const result = await sut.changeEmail(manager, { userId: 7, email: 'ann@example.test', verified: true, alsoEnd: [VerificationPurpose.EmailVerify] });
    expect(result.changed).toBe(false);
    expect(result.previous).toBe(null);
    expect(jest.mocked(users.update).mock.calls[0]![2]).toEqual({ email: 'ann@example.test', emailVerified: true });
    expect(jest.mocked(verification.revokeForUser).mock.calls).toEqual([[7, [VerificationPurpose.EmailVerify], manager]]);
  });
});

describe('EmailAddressUseCase.markEmailVerified', () => {
  const refuse = () => new Error('refused');

  it('marks a held, unverified address verified and audits email.verify as the user', async () => {
    const ann = user({ emailVerified: false });
    const { sut, users, audit } = build({
      users: { findById: async () => ann, update: async () => true },
      audit: { record: async () => undefined },
    });
    await sut.markEmailVerified(manager, { userId: 7, address: 'ann@example.test', refuse, audit: { ip: '10.0.0.1', details: { via: 'link' } } });
    expect(jest.mocked(users.update).mock.calls).toEqual([[manager, ann, { emailVerified: true }, NOW]]);
    expect(jest.mocked(audit.record).mock.calls).toEqual([
      [{ actor: 'ann', action: 'email.verify', target: 'ann', ip: '10.0.0.1', outcome: 'success', details: { via: 'link' } }, manager],
    ]);
  });

  it("refuses with the face's error when the user changed address, is disabled or is gone", async () => {
    for (const found of [user({ emailLower: 'other@example.test' }), user({ disabled: true }), null]) {
      const { sut } = build({ users: { findById: async () => found } });
      await expect(sut.markEmailVerified(manager, { userId: 7, address: 'ann@example.test', refuse, audit: {} })).rejects.toThrow(/refused/);
    }
  });

  it('may also mark verified only an unverified address nobody else holds verified', async () => {
    const { sut } = build({ users: { findByVerifiedEmail: async () => null } });
    expect(await sut.mayMarkVerified(manager, user({ emailVerified: false }), 'ann@example.test')).toBe(true);
    expect(await sut.mayMarkVerified(manager, user({ emailVerified: true }), 'ann@example.test')).toBe(false);
    expect(await sut.mayMarkVerified(manager, user({ emailVerified: false }), 'other@example.test')).toBe(false);
    const taken = build({ users: { findByVerifiedEmail: async () => user({ id: 8, name: 'bob' }) } });
    expect(await taken.sut.mayMarkVerified(manager, user({ emailVerified: false }), 'ann@example.test')).toBe(false);
  });
});
