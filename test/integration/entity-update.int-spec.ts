import { DataSource, EntitySubscriberInterface, UpdateEvent } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { EntityUpdate } from '../../libs/console-users/src/database/entity-update';
import { TransactionRunner } from '../../libs/console-users/src/database/transaction-runner';
import { newUser } from '../../libs/console-users/src/users/new-user';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { UsersRepository } from '../../libs/console-users/src/users/users.repository';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';

for (const kind of testDatabases()) {
  describe(`updating one row by a prepared statement on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    const told: string[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = new DataSource(dataSourceOptions(db.config));
      await dataSource.initialize();
      // A host's own subscriber: it must hear of these updates as it does of the query builder's.
      const listener: EntitySubscriberInterface<UserEntity> = {
        listenTo: () => UserEntity,
        beforeUpdate: (event: UpdateEvent<UserEntity>) => void told.push(`before ${Object.keys(event.entity ?? {}).join(',')}`),
        afterUpdate: (event: UpdateEvent<UserEntity>) => void told.push(`after ${Object.keys(event.entity ?? {}).join(',')}`),
      };
      dataSource.subscribers.push(listener);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    async function aUser(name: string): Promise<UserEntity> {
      const { id } = await new UsersRepository(dataSource).insert(newUser({ name, displayName: name, email: null }), new Date(Date.UTC(2025, 0, 1)));
      return dataSource.getRepository(UserEntity).findOneByOrFail({ id });
    }

    it('writes the given columns as the query builder stores them (JSON, booleans, dates), raises the version, skips undefined', async () => {
      const user = await aUser('changed');
      const sut = new EntityUpdate(dataSource, UserEntity, 'version');
      const at = new Date(Date.UTC(2025, 5, 1, 12, 0, 0, 123));
      told.length = 0;
      const changed = await sut.update(undefined, user.id, { annotations: { 'a/b': '李' }, disabled: true, updatedAt: at, displayName: undefined });
      expect(changed).toBe(true);
      const stored = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      expect(stored).toEqual({ ...user, annotations: { 'a/b': '李' }, disabled: true, updatedAt: at, version: user.version + 1 });
      expect(told).toEqual(['before annotations,disabled,updatedAt,displayName', 'after annotations,disabled,updatedAt,displayName']);
    });

    it('changes nothing and answers false when the expected version is not the row’s, or the row is gone', async () => {
      const user = await aUser('versioned');
      const sut = new EntityUpdate(dataSource, UserEntity, 'version');
      expect(await sut.update(undefined, user.id, { disabled: true }, user.version + 1)).toBe(false);
      expect(await sut.update(undefined, user.id + 1_000, { disabled: true })).toBe(false);
      expect(await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).toEqual(user);
      expect(await sut.update(undefined, user.id, { disabled: true }, user.version)).toBe(true);
      expect((await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).version).toBe(user.version + 1);
    });

    it('writes inside the caller’s transaction: a rollback leaves the row as it was', async () => {
      const user = await aUser('rolled-back');
      const sut = new EntityUpdate(dataSource, UserEntity, 'version');
      await expect(
        new TransactionRunner(dataSource).run(async (manager) => {
          await sut.update(manager, user.id, { displayName: 'Never' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).toEqual(user);
    });

    it('refuses to set the primary key, the version or a property the entity does not have', async () => {
      const user = await aUser('refused');
      const sut = new EntityUpdate(dataSource, UserEntity, 'version');
      await expect(sut.update(undefined, user.id, { version: 7 })).rejects.toThrow(/version cannot be updated/);
      await expect(sut.update(undefined, user.id, { id: 7 })).rejects.toThrow(/id cannot be updated/);
      await expect(sut.update(undefined, user.id, { nickname: 'x' } as never)).rejects.toThrow(/nickname cannot be updated/);
      expect(await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).toEqual(user);
    });
  });
}
