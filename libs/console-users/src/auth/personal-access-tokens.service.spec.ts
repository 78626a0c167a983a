import { strictMock } from '../../../../test/support/strict-mock';
import { sha256Hex } from '../common/crypto';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleGraph } from '../rbac/role-graph';
import type { RoleGraphProvider } from '../rbac/role-graph.provider';
import type { PersonalAccessTokenEntity } from './personal-access-token.entity';
import type { PersonalAccessTokensRepository } from './personal-access-tokens.repository';
import type { PrincipalInvalidationService } from './principal-invalidation.service';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import type { AuthenticationMethod, UserPrincipal } from './principal';

const now = new Date('2026-03-01T12:00:00Z');
const graph = new RoleGraph([
  { name: 'editor', labels: {}, annotations: {}, rules: [] },
  { name: 'admin-only', labels: {}, annotations: {}, rules: [] },
]);

function owner(method: AuthenticationMethod = 'session', userId = 7): UserPrincipal {
  return { kind: 'user', userId, name: 'ann', roles: ['editor', 'authenticated'], boundRoles: ['editor'], method } as UserPrincipal;
}

function stored(overrides: Partial<PersonalAccessTokenEntity> = {}): PersonalAccessTokenEntity {
  return {
    id: 3, name: 'pat-abc', userId: 7, username: 'ann', displayName: 'ci', description: null, roles: [], scopes: [],
    tokenHash: 'hash', expiresAt: null, revoked: false, revokesAt: null, lastUsed: null, version: 0, createdAt: now,
    ...overrides,
  } as PersonalAccessTokenEntity;
}

function build(findByName: PersonalAccessTokensRepository['findByName'] = async () => stored()) {
  const pats = strictMock<PersonalAccessTokensRepository>('PersonalAccessTokensRepository', {
    insert: async (values) => ({ ...values, id: 3 }) as PersonalAccessTokenEntity,
    findByName,
    listOfUser: async () => [stored()],
    setRevoked: async () => undefined,
  });
  const roleGraph = strictMock<RoleGraphProvider>('RoleGraphProvider', { graph: async () => graph });
  const principals = strictMock<PrincipalInvalidationService>('PrincipalInvalidationService', { userChanged: () => undefined });
  return { sut: new PersonalAccessTokensService(pats, roleGraph, { now: () => now }, principals), pats, principals };
}

async function expectRefused(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(DomainError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('PersonalAccessTokensService', () => {
  it('generate: the token value is in the answer once, stored only as its hash; no hash in the view', async () => {
    const { sut, pats } = build();
    const later = new Date('2026-04-01T00:00:00Z');
    const view = await sut.generate(owner(), { name: 'ci', description: 'deploys', expiresAt: later, roles: ['editor', 'editor'], scopes: ['a'] });
    expect(view.token).toMatch(/^pat_/);
    expect(!('tokenHash' in view)).toBeTruthy();
    expect(view).toMatchObject({ displayName: 'ci', description: 'deploys', expiresAt: later, roles: ['editor'], scopes: ['a'], username: 'ann', revoked: false, version: 0, createdAt: now });
    const inserted = jest.mocked(pats.insert).mock.calls[0]![0];
    expect(inserted.tokenHash).toBe(sha256Hex(view.token!));
    expect(inserted.userId).toBe(7);
  });

  it('generate: refused with a PAT, for roles not held or unknown, and for a past expiry', async () => {
    const { sut, pats } = build();
    await expectRefused(sut.generate(owner('pat'), { name: 'x', roles: [], scopes: [] }), ErrorCode.Forbidden);
    await expectRefused(sut.generate(owner(), { name: 'x', roles: ['admin-only'], scopes: [] }), ErrorCode.BadRequest);
    await expectRefused(sut.generate(owner(), { name: 'x', roles: ['ghost'], scopes: [] }), ErrorCode.BadRequest);
    await expectRefused(sut.generate(owner(), { name: 'x', expiresAt: now, roles: [], scopes: [] }), ErrorCode.BadRequest);
    expect(jest.mocked(pats.insert).mock.calls).toHaveLength(0);
  });

  it('list and get never carry a token value', async () => {
    const { sut } = build();
    const [listed] = await sut.list(owner());
    expect(listed!.token).toBeUndefined();
    expect((await sut.get(owner(), 'pat-abc')).token).toBeUndefined();
  });

  it("another user's token is missing, not forbidden, and stays untouched", async () => {
    const { sut, pats } = build(async () => stored({ userId: 99 }));
    await expectRefused(sut.revoke(owner(), 'pat-abc'), ErrorCode.NotFound);
    expect(jest.mocked(pats.setRevoked).mock.calls).toHaveLength(0);
  });

  it('revoke stamps the time and answers the token as it now is', async () => {
    let row = stored();
    const { sut, pats, principals } = build(async () => row);
    jest.mocked(pats.setRevoked).mockImplementation(async (_id, revoked, at) => {
      row = stored({ revoked, revokesAt: at, version: 1 });
    });
    const view = await sut.revoke(owner(), 'pat-abc');
    expect(principals.userChanged).toHaveBeenCalledWith(7);
    expect(jest.mocked(pats.setRevoked).mock.calls).toEqual([[3, true, now]]);
    expect(view).toMatchObject({ revoked: true, revokesAt: now, version: 1 });
  });
});
