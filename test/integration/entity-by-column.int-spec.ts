import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { EntityByColumn } from '../../libs/console-users/src/database/entity-by-column';
import { TransactionRunner } from '../../libs/console-users/src/database/transaction-runner';
import { newUser } from '../../libs/console-users/src/users/new-user';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { UsersRepository } from '../../libs/console-users/src/users/users.repository';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';

for (const kind of testDatabases()) {
  describe(`reading one user by a prepared statement on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let sut: EntityByColumn<UserEntity>;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = new DataSource(dataSourceOptions(db.config));
      await dataSource.initialize();
      sut = new EntityByColumn(dataSource, UserEntity);
      const users = new UsersRepository(dataSource);
      // Every kind of column set: booleans both ways, JSON maps, epoch-millis dates, nulls, a hash.
      await users.insert(
        newUser({
          name: 'full',
          displayName: 'Zoë “full” 李',
          email: 'Full@Example.test',
          emailVerified: true,
          disabled: true,
          passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
          labels: { team: 'ops', 'a/b': 'c' },
          annotations: { note: 'x' },
          phone: '+15550100',
          bio: 'bio',
        }),
        new Date(Date.UTC(2025, 5, 1, 12, 0, 0, 123)),
      );
      await users.insert(newUser({ name: 'bare', displayName: 'Bare', email: null }), new Date(Date.UTC(2025, 5, 2)));
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    it.each(['full', 'bare'])('gives %s exactly as findOne does, password hash left out', async (name) => {
      const expected = await dataSource.getRepository(UserEntity).findOne({ where: { name } });
      const actual = await sut.findOne('name', name);
      expect(actual).toBeInstanceOf(UserEntity);
      expect(actual).toEqual(expected);
      expect(actual?.passwordHash).toBeUndefined();
      expect(JSON.stringify(actual)).not.toContain('argon2');
      expect(await sut.findOne('id', expected!.id)).toEqual(expected);
    });

    it('reads a hidden column only when asked: the password hash, as the query builder gives it', async () => {
      const withPassword = new EntityByColumn(dataSource, UserEntity, ['passwordHash']);
      for (const name of ['full', 'bare']) {
        const expected = await dataSource.getRepository(UserEntity).createQueryBuilder('u').addSelect('u.passwordHash').where('u.name = :name', { name }).getOne();
        expect(await withPassword.findOne('name', name)).toEqual(expected);
      }
      expect((await withPassword.findOne('name', 'full'))?.passwordHash).toBe('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA');
      // The same user through the repository's login lookups, by name and by verified address.
      const users = new UsersRepository(dataSource);
      expect((await users.findWithPasswordByName('full'))?.passwordHash).toBe('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA');
      expect((await users.findWithPasswordByVerifiedEmail('full@example.test'))?.name).toBe('full');
      expect(await users.findWithPasswordByVerifiedEmail('nobody@example.test')).toBeNull();
      // The plain reader still leaves it out.
      expect((await sut.findOne('name', 'full'))?.passwordHash).toBeUndefined();
    });

    it('gives null for a name nobody has, and treats the value as data', async () => {
      expect(await sut.findOne('name', 'nobody')).toBeNull();
      expect(await sut.findOne('name', "full' OR '1'='1")).toBeNull();
    });

    it('reads inside a transaction what that transaction wrote', async () => {
      await new TransactionRunner(dataSource).run(async (manager) => {
        await manager.query(`UPDATE users SET bio = 'inside' WHERE name = 'bare'`);
        expect((await sut.findOne('name', 'bare', manager))?.bio).toBe('inside');
      });
    });
  });
}
