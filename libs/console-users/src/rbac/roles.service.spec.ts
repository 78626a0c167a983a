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
    expect(await sut.all()).toEqual([expected]);
    const one = await sut.get('editor');
    expect(one).toEqual(expected);
    expect(!('id' in one)).toBeTruthy();
  });

  it('404s an unknown role', async () => {
    const sut = new RolesService(strictMock<RolesRepository>('RolesRepository', { findByName: async () => null }));
    const rejection = sut.get('nope');
    await expect(rejection).rejects.toBeInstanceOf(DomainError);
    await expect(rejection).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});
