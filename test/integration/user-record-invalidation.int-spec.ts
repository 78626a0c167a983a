import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { serializeSqliteAccess } from '../../libs/console-users/src/database/sqlite-access-serializer';
import { RoleBindingsRepository } from '../../libs/console-users/src/rbac/role-bindings.repository';
import { newUser } from '../../libs/console-users/src/users/new-user';
import { UserRecordCache } from '../../libs/console-users/src/users/user-record-cache';
import { UserRecordInvalidation } from '../../libs/console-users/src/users/user-record-invalidation';
import { toUserView } from '../../libs/console-users/src/users/user-view';
import { UsersRepository } from '../../libs/console-users/src/users/users.repository';
import { createTestDatabase, TestDatabase, testDatabases } from '../support/databases';

const now = new Date('2026-03-01T12:00:00.000Z');

for (const kind of testDatabases()) {
  describe(`the user record cache is dropped by every write to users and bindings on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let users: UsersRepository;
    let bindings: RoleBindingsRepository;
    let cache: UserRecordCache;

    /** Fills the cache with `name` as the database has it now, as UsersService does. */
    const fill = async (name: string): Promise<void> => {
      const ticket = cache.ticket();
      const user = (await users.findByName(name))!;
      cache.store(name, { view: toUserView(user), roleNames: await bindings.roleNamesOf(name) }, ticket);
    };

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = await new DataSource(dataSourceOptions(db.config)).initialize();
      serializeSqliteAccess(dataSource);
      users = new UsersRepository(dataSource);
      bindings = new RoleBindingsRepository(dataSource);
      cache = new UserRecordCache({ ttlMs: 60_000 });
      UserRecordInvalidation.install(dataSource, cache);
      await users.insert(newUser({ name: 'ann', passwordHash: 'hash' }), now);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    beforeEach(async () => {
      await fill('ann');
      expect(cache.get('ann')).toBeDefined(); // precondition: cached
    });

    it('a profile update outside a transaction', async () => {
      const ann = (await users.findByName('ann'))!;
      await users.update(undefined, ann, { displayName: 'Ann Updated' }, now);
      expect(cache.get('ann')).toBeUndefined();
    });

    it('an update inside a transaction, and again at its commit: a read between write and commit is not kept', async () => {
      await dataSource.transaction(async (manager) => {
        const ann = (await users.findByName('ann', manager))!;
        await users.update(manager, ann, { bio: 'written in a transaction' }, now);
        expect(cache.get('ann')).toBeUndefined();
        // Another request reads and caches while the transaction is still open (on PostgreSQL
        // it sees the old row; on SQLite it waits for the commit).
        if (kind === 'postgres') {
          await fill('ann');
          expect(cache.get('ann')!.view.bio).toBeNull();
        }
      });
      expect(cache.get('ann')).toBeUndefined();
    });

    it('a rolled-back transaction leaves no mark that drops a later, unrelated commit', async () => {
      await expect(
        dataSource.transaction(async (manager) => {
          const ann = (await users.findByName('ann', manager))!;
          await users.update(manager, ann, { bio: 'rolled back' }, now);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await fill('ann');
      await dataSource.transaction(async (manager) => {
        await manager.query('SELECT 1');
      });
      expect(cache.get('ann')!.view.bio).not.toBe('rolled back');
    });

    it('role bindings replaced, and deleted', async () => {
      await dataSource.transaction((manager) => bindings.replaceRoles(manager, 'ann', ['editor'], now));
      expect(cache.get('ann')).toBeUndefined();
      await fill('ann');
      expect(cache.get('ann')!.roleNames).toEqual(['editor']);
      await dataSource.transaction((manager) => bindings.deleteAllOf(manager, 'ann'));
      expect(cache.get('ann')).toBeUndefined();
    });

    it('a new user, and a deleted one', async () => {
      await users.insert(newUser({ name: 'bob', passwordHash: 'hash' }), now);
      expect(cache.get('ann')).toBeUndefined();
      await fill('ann');
      const bob = (await users.findByName('bob'))!;
      await dataSource.transaction((manager) => users.deleteById(manager, bob.id));
      expect(cache.get('ann')).toBeUndefined();
    });

    it('writes to other tables leave it alone', async () => {
      await dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO rate_limit_buckets ("key", hits, expires_at) VALUES ('unrelated', 1, 0)`);
      });
      expect(cache.get('ann')).toBeDefined();
    });
  });
}
