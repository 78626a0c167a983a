import { MockMethods, strictMock } from '../../../../test/support/strict-mock';
import { RbacKeys } from '../rbac/rbac-labels';
import type { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraph } from '../rbac/role-graph';
import type { RoleGraphProvider } from '../rbac/role-graph.provider';
import { UserDirectoryService } from './user-directory.service';
import type { UserSearchCriteria } from './user-search-criteria';
import type { UserSearchRepository } from './user-search.repository';
import type { UserEntity } from './user.entity';
import type { UsersRepository } from './users.repository';

const graph = new RoleGraph([
  { name: 'editor', labels: {}, annotations: {}, rules: [] },
  { name: 'author', labels: {}, annotations: {}, rules: [] },
  { name: 'secret', labels: { [RbacKeys.hidden]: 'true' }, annotations: {}, rules: [] },
]);
const ann = { id: 7, name: 'ann' } as UserEntity;
const bob = { id: 8, name: 'bob' } as UserEntity;
const criteria: UserSearchCriteria = { text: 'a', order: [{ key: 'email', descending: true }], offset: 0, limit: 2 };

function build(deps: { search?: MockMethods<UserSearchRepository>; bindings?: MockMethods<RoleBindingsRepository>; users?: MockMethods<UsersRepository> }) {
  const users = strictMock<UsersRepository>('UsersRepository', deps.users);
  const search = strictMock<UserSearchRepository>('UserSearchRepository', deps.search);
  const bindings = strictMock<RoleBindingsRepository>('RoleBindingsRepository', deps.bindings);
  const roleGraph = strictMock<RoleGraphProvider>('RoleGraphProvider', { graph: async () => graph });
  return { sut: new UserDirectoryService(users, search, bindings, roleGraph), users, search, bindings };
}

describe('UserDirectoryService', () => {
  it('pages users with all their roles and the visible ones sorted, unknown and hidden left out', async () => {
    const { sut, search, bindings } = build({
      search: { page: async () => [[ann, bob], 5] },
      bindings: { roleNamesOfMany: async () => new Map([['ann', ['editor', 'secret', 'gone', 'author', 'editor']]]) },
    });
    const page = await sut.page(criteria);
    expect(page.total).toBe(5);
    expect(page.items).toEqual([
      { user: ann, roles: ['editor', 'secret', 'gone', 'author', 'editor'], visibleRoles: ['author', 'editor'] },
      { user: bob, roles: [], visibleRoles: [] },
    ]);
    expect(jest.mocked(search.page).mock.calls).toEqual([[criteria]]);
    expect(jest.mocked(bindings.roleNamesOfMany).mock.calls).toEqual([[['ann', 'bob']]]);
  });

  it('finds one listable user with its roles, or null without asking for roles', async () => {
    const { sut, bindings } = build({
      search: { findById: async (id: number) => (id === 7 ? ann : null) },
      bindings: { roleNamesOf: async () => ['secret', 'editor'] },
    });
    expect(await sut.findListable(7)).toEqual({ user: ann, roles: ['secret', 'editor'], visibleRoles: ['editor'] });
    expect(await sut.findListable(9)).toBe(null);
    expect(jest.mocked(bindings.roleNamesOf).mock.calls).toEqual([['ann']]);
  });

  it('finds any user by id through the users repository', async () => {
    const { sut, users } = build({ users: { findById: async () => ann } });
    expect(await sut.findById(7)).toBe(ann);
    expect(jest.mocked(users.findById).mock.calls).toEqual([[7]]);
  });
});
