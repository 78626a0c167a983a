import type { EntityManager } from 'typeorm';
import { strictMock } from '../../../../test/support/strict-mock';
import type { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../auth/principal';
import type { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RbacKeys, RoleNames } from './rbac-labels';
import type { RoleBindingsRepository } from './role-bindings.repository';
import { RoleCompositionPolicy } from './role-composition.policy';
import type { RoleDraft } from './role-draft';
import { RoleGraph } from './role-graph';
import type { RoleGraphProvider } from './role-graph.provider';
import type { RoleEntity } from './role.entity';
import type { RolesRepository } from './roles.repository';
import { RoleWritesService } from './role-writes.service';

const now = new Date('2026-03-01T12:00:00Z');
const created = new Date('2026-02-01T00:00:00Z');
const manager = {} as EntityManager;
const rule = { apiGroups: [''], resources: ['posts'], resourceNames: [], nonResourceURLs: [], verbs: ['get'] };
const graph = new RoleGraph([
  { name: RoleNames.superRole, labels: {}, annotations: {}, rules: [] },
  { name: 'reader', labels: {}, annotations: {}, rules: [rule] },
  { name: 'secret-keeper', labels: {}, annotations: {}, rules: [] },
]);

function principal(roles: string[]): UserPrincipal {
  return { kind: 'user', userId: 1, name: 'ann', roles, boundRoles: roles, method: 'session' } as UserPrincipal;
}
const admin = principal([RoleNames.superRole]);

function draft(overrides: Partial<RoleDraft> = {}): RoleDraft {
  return { labels: {}, annotations: {}, rules: [], ...overrides };
}

function build(roles: Partial<Record<'insert' | 'findByNameIn' | 'updateAtVersion' | 'delete', unknown>> = {}) {
  const repo = strictMock<RolesRepository>('RolesRepository', {
    insert: async (_m, role) => ({ ...role, id: 9 }) as RoleEntity,
    ...(roles as object),
  });
  const bindings = strictMock<RoleBindingsRepository>('RoleBindingsRepository', { deleteAllToRole: async () => ['bob'] });
  const roleGraph = strictMock<RoleGraphProvider>('RoleGraphProvider', { graph: async () => graph, invalidate: () => undefined });
  const audit = strictMock<AuditService>('AuditService', { record: async () => undefined });
  const tx = strictMock<TransactionRunner>('TransactionRunner', { run: async (work) => work(manager) });
  const sut = new RoleWritesService(repo, bindings, roleGraph, new RoleCompositionPolicy(), audit, tx, { now: () => now });
  return { sut, repo, bindings, audit, roleGraph };
}

async function expectRefused(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(DomainError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('RoleWritesService', () => {
  it('create: stores the draft at version 0 and hands out the core Role', async () => {
    const { sut, repo, audit, roleGraph } = build();
    const role = await sut.create(admin, draft({ name: 'editor', labels: { a: 'b' }, rules: [rule] }), '10.0.0.1');
    expect(role).toEqual({ name: 'editor', labels: { a: 'b' }, annotations: {}, rules: [rule], version: 0, createdAt: now });
    expect(!('id' in role)).toBeTruthy();
    expect(jest.mocked(repo.insert).mock.calls).toEqual([[manager, { name: 'editor', labels: { a: 'b' }, annotations: {}, rules: [rule], version: 0, createdAt: now }]]);
    expect(jest.mocked(audit.record).mock.calls).toEqual([[{ actor: 'ann', action: 'role.create', target: 'editor', ip: '10.0.0.1', outcome: 'success' }, manager]]);
    expect(jest.mocked(roleGraph.invalidate).mock.calls).toHaveLength(1);
  });

  it('create: generateName gets five lower-case letters or digits appended', async () => {
    const { sut } = build();
    const role = await sut.create(admin, draft({ name: '', generateName: 'role-' }), 'ip');
    expect(role.name).toMatch(/^role-[a-z0-9]{5}$/);
  });

  it('create: neither name nor generateName, or an invalid name, is a 400', async () => {
    const { sut, repo } = build();
    await expectRefused(sut.create(admin, draft(), 'ip'), ErrorCode.BadRequest);
    await expectRefused(sut.create(admin, draft({ name: 'Bad_Name' }), 'ip'), ErrorCode.BadRequest);
    await expectRefused(sut.create(admin, draft({ name: 'x', rules: [{ verbs: 'get' }] }), 'ip'), ErrorCode.BadRequest);
    expect(jest.mocked(repo.insert).mock.calls).toHaveLength(0);
  });

  it('built-in roles are read-only: create says taken, update and delete are forbidden', async () => {
    const { sut, repo } = build({ findByNameIn: async () => null, delete: async () => undefined });
    await expectRefused(sut.create(admin, draft({ name: RoleNames.superRole }), 'ip'), ErrorCode.DuplicateName);
    await expectRefused(sut.update(admin, RoleNames.superRole, draft(), 'ip'), ErrorCode.Forbidden);
    await expectRefused(sut.delete(admin, RoleNames.superRole, 'ip'), ErrorCode.Forbidden);
    expect(jest.mocked(repo.insert).mock.calls).toHaveLength(0);
    expect(jest.mocked(repo.findByNameIn).mock.calls).toHaveLength(0);
    expect(jest.mocked(repo.delete).mock.calls).toHaveLength(0);
  });

  it('the reserved system label is refused', async () => {
    const { sut } = build();
    await expectRefused(sut.create(admin, draft({ name: 'x', labels: { [RbacKeys.systemReserved]: 'true' } }), 'ip'), ErrorCode.Forbidden);
  });

  it('composition: a caller may not compose a role out of one it does not hold, nor out of an unknown one', async () => {
    const { sut, repo, audit } = build();
    const reader = principal(['reader', 'authenticated']);
    const composed = (name: string) => draft({ name: 'mine', annotations: { [RbacKeys.dependencies]: JSON.stringify([name]) } });
    await expectRefused(sut.create(reader, composed('secret-keeper'), 'ip'), ErrorCode.Forbidden);
    await expectRefused(sut.create(reader, composed('ghost'), 'ip'), ErrorCode.BadRequest);
    expect(jest.mocked(repo.insert).mock.calls).toHaveLength(0);
    expect(jest.mocked(audit.record).mock.calls).toHaveLength(0);
    const held = await sut.create(reader, composed('reader'), 'ip');
    expect(held.name).toBe('mine');
  });

  it('update: a stale version is a conflict; the current one moves the version on', async () => {
    const current = { id: 4, name: 'editor', labels: {}, annotations: {}, rules: [], version: 3, createdAt: created } as RoleEntity;
    const { sut, repo } = build({ findByNameIn: async () => current, updateAtVersion: async () => true });
    await expectRefused(sut.update(admin, 'editor', draft({ version: 2 }), 'ip'), ErrorCode.Conflict);
    expect(jest.mocked(repo.updateAtVersion).mock.calls).toHaveLength(0);
    const role = await sut.update(admin, 'editor', draft({ version: 3, labels: { x: 'y' } }), 'ip');
    expect(role).toEqual({ name: 'editor', labels: { x: 'y' }, annotations: {}, rules: [], version: 4, createdAt: created });
    expect(jest.mocked(repo.updateAtVersion).mock.calls).toEqual([[manager, 4, 3, { labels: { x: 'y' }, annotations: {}, rules: [] }]]);
  });

  it('update: losing the race at the conditional UPDATE is a conflict too; a name unlike the path is a 400', async () => {
    const current = { id: 4, name: 'editor', labels: {}, annotations: {}, rules: [], version: 3, createdAt: created } as RoleEntity;
    const { sut } = build({ findByNameIn: async () => current, updateAtVersion: async () => false });
    await expectRefused(sut.update(admin, 'editor', draft(), 'ip'), ErrorCode.Conflict);
    await expectRefused(sut.update(admin, 'editor', draft({ name: 'other' }), 'ip'), ErrorCode.BadRequest);
  });

  it('delete: removes the bindings and the role, and says when', async () => {
    const current = { id: 4, name: 'editor', labels: {}, annotations: {}, rules: [], version: 3, createdAt: created } as RoleEntity;
    const { sut, repo, bindings, audit } = build({ findByNameIn: async () => current, delete: async () => undefined });
    const deleted = await sut.delete(admin, 'editor', 'ip');
    expect(deleted).toEqual({ name: 'editor', labels: {}, annotations: {}, rules: [], version: 3, createdAt: created, deletedAt: now });
    expect(jest.mocked(bindings.deleteAllToRole).mock.calls).toEqual([[manager, 'editor']]);
    expect(jest.mocked(repo.delete).mock.calls).toEqual([[manager, 4]]);
    expect(jest.mocked(audit.record).mock.calls[0]![0]).toMatchObject({ action: 'role.delete', details: { holders: 'bob' } });
  });
});
