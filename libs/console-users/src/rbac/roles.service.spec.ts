import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strictMock } from '../../../../test/support/strict-mock';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { RoleEntity } from './role.entity';
import type { RolesRepository } from './roles.repository';
import { RolesService } from './roles.service';

const created = new Date('2026-03-01T12:00:00Z');
const row = { id: 1, name: 'editor', labels: { a: 'b' }, annotations: { c: 'd' }, rules: [], version: 2, createdAt: created } as RoleEntity;

describe('RolesService', () => {
  it('hands out plain roles, not entities', async () => {
    const sut = new RolesService(strictMock<RolesRepository>('RolesRepository', { findAll: async () => [row], findByName: async () => row }));
    const expected = { name: 'editor', labels: { a: 'b' }, annotations: { c: 'd' }, rules: [], version: 2, createdAt: created };
    assert.deepEqual(await sut.all(), [expected]);
    const one = await sut.get('editor');
    assert.deepEqual(one, expected);
    assert.ok(!('id' in one));
  });

  it('404s an unknown role', async () => {
    const sut = new RolesService(strictMock<RolesRepository>('RolesRepository', { findByName: async () => null }));
    await assert.rejects(sut.get('nope'), (e: unknown) => e instanceof DomainError && e.code === ErrorCode.NotFound);
  });
});
