import { newUser } from './new-user';
import type { UserEntity } from './user.entity';
import { toUserView } from './user-view';

describe('toUserView', () => {
  it('copies the public fields and never the password hash, the TOTP secret or derived columns', () => {
    const created = new Date('2026-03-01T12:00:00Z');
    const row = {
      ...newUser({ name: 'ann', email: 'Ann@Example.test', passwordHash: '$argon2id$secret', totpEncryptedSecret: 'totp', labels: { a: 'b' } }),
      id: 7,
      version: 3,
      createdAt: created,
      updatedAt: created,
      displayNameLower: 'ann',
      emailLower: 'ann@example.test',
      verifiedEmail: null,
    } as UserEntity;
    const view = toUserView(row);
    expect(view.name).toBe('ann');
    expect(view.email).toBe('Ann@Example.test');
    expect(view.labels).toEqual({ a: 'b' });
    expect(view.labels).not.toBe(row.labels); // a copy, not the row’s map
    for (const secret of ['passwordHash', 'totpEncryptedSecret', 'displayNameLower', 'emailLower', 'verifiedEmail']) {
      expect(!(secret in view)).toBeTruthy();
    }
    expect(JSON.stringify(view)).not.toMatch(/argon2|totp/);
  });
});
