import type { RoleNode } from '../../../rbac/role-graph';
import type { UserView } from '../../../users/user-view';
import { toDetailedUser } from './detailed-user.dto';

const PUBLIC_URL = 'https://console.example.com';

function userView(displayName: string): UserView {
  const at = new Date('2026-03-01T12:00:00Z');
  return {
    id: 1, name: 'alice', displayName, avatar: null, email: 'alice@example.com', emailVerified: true, phone: null, bio: null,
    registeredAt: at, twoFactorAuthEnabled: null, disabled: false, loginHistoryLimit: null, language: null,
    labels: {}, annotations: { note: 'x' }, version: 3, createdAt: at, updatedAt: at,
  };
}

const roles: readonly RoleNode[] = [
  { name: 'editor', labels: {}, annotations: {}, rules: [{ apiGroups: ['*'], resources: ['users'], resourceNames: [], nonResourceURLs: [], verbs: ['get'] }] } as unknown as RoleNode,
];

describe('toDetailedUser', () => {
  it('hands out one answer, frozen through and through, while the user and the roles are the same objects', () => {
    const user = userView('Alice');
    const first = toDetailedUser({ user, roles }, PUBLIC_URL);
    expect(toDetailedUser({ user, roles }, PUBLIC_URL)).toBe(first);
    expect(first.user.spec.displayName).toBe('Alice');
    expect(first.roles.map((r) => r.metadata.name)).toEqual(['editor']);
    for (const part of [first, first.user, first.user.metadata, first.user.metadata.annotations, first.user.spec, first.roles, first.roles[0], first.roles[0]!.rules[0]!.verbs]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
  });

  it('maps afresh a changed user, a changed role list and another public URL', () => {
    const user = userView('Alice');
    const first = toDetailedUser({ user, roles }, PUBLIC_URL);
    const renamed = toDetailedUser({ user: userView('Alice B.'), roles }, PUBLIC_URL);
    expect(renamed).not.toBe(first);
    expect(renamed.user.spec.displayName).toBe('Alice B.');
    const fewerRoles = toDetailedUser({ user, roles: [] }, PUBLIC_URL);
    expect(fewerRoles.roles).toEqual([]);
    expect(toDetailedUser({ user, roles }, 'https://other.example.com').user.status?.permalink).toBe('https://other.example.com/authors/alice');
  });
});
