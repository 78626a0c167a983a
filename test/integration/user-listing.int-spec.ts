import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { TransactionRunner } from '../../libs/console-users/src/database/transaction-runner';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { DEFAULT_USER_ORDER, UserSort } from '../../libs/console-users/src/users/user-list-criteria';
import { derivedColumns, NewUser, UserListCriteria, UsersRepository } from '../../libs/console-users/src/users/users.repository';
import { newUser as coreNewUser } from '../../libs/console-users/src/users/new-user';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const WORDS = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken', 'Radia', 'Edsger', 'Frances', 'Niklaus', 'Zoë', '李雷', 'O\'Neil', '50%', 'snake_case'];

/** The core's factory with this file's positional shorthand. */
function newUser(name: string, displayName: string, email: string | null, extra: Partial<NewUser> = {}): NewUser {
  return coreNewUser({ name, displayName, email, ...extra });
}

function criteria(partial: Partial<UserListCriteria>): UserListCriteria {
  return { fields: [], labels: [], sort: [...DEFAULT_USER_ORDER], offset: 0, limit: 10_000, ...partial };
}

for (const kind of testDatabases()) {
  describe(`user listing storage on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let sut: UsersRepository;
    let tx: TransactionRunner;
    const users: { name: string; displayName: string; email: string | null }[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = new DataSource(dataSourceOptions(db.config));
      await dataSource.initialize();
      sut = new UsersRepository(dataSource);
      // Anchors every 10 rows, rebuilt at once, so these 150 users go through the anchored path too.
      sut.anchorStep = 10;
      sut.anchorRebuildIntervalMs = 0;
      tx = new TransactionRunner(dataSource);
      const next = random(42);
      const base = Date.UTC(2025, 0, 1);
      for (let i = 0; i < 150; i++) {
        const name = `u${String(i).padStart(3, '0')}`;
        const displayName = `${WORDS[Math.floor(next() * WORDS.length)]} ${WORDS[Math.floor(next() * WORDS.length)]} ${i}`;
        const email = next() < 0.2 ? null : `${name}@Example.test`;
        users.push({ name, displayName, email });
        // Few distinct instants, so most of the order comes from the name tie-break.
        const createdAt = new Date(base + Math.floor(next() * 6) * 1000);
        await sut.insert(newUser(name, displayName, email, { disabled: next() < 0.3 }), createdAt);
      }
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    it('keeps row_counts equal to the number of users through inserts and deletes', async () => {
      const count = async () => Number((await dataSource.query('SELECT COUNT(*) AS c FROM users'))[0].c);
      expect(await sut.rowCount()).toBe(await count());
      const repo = dataSource.getRepository(UserEntity);
      const now = new Date();
      const rows = ['bulk-1', 'bulk-2', 'bulk-3'].map((name) => ({
        ...newUser(name, name, null),
        ...derivedColumns({ displayName: name, email: null, emailVerified: false }),
        version: 0,
        createdAt: now,
        updatedAt: now,
      }));
      await repo.insert(rows);
      expect(await sut.rowCount()).toBe(await count());
      await repo.delete({ name: 'bulk-2' });
      await dataSource.query(`DELETE FROM users WHERE name IN ('bulk-1', 'bulk-3')`);
      expect(await sut.rowCount()).toBe(await count());
    });

    it('keeps user_labels in step with users.labels on insert, update and delete', async () => {
      const user = await sut.insert(newUser('labelled', 'Labelled', null, { labels: { team: 'blue', tier: 'gold' } }), new Date());
      const labels = async () =>
        (await dataSource.query(`SELECT label_key, label_value FROM user_labels WHERE user_id = ${user.id} ORDER BY label_key`)).map(
          (r: { label_key: string; label_value: string }) => `${r.label_key}=${r.label_value}`,
        );
      expect(await labels()).toEqual(['team=blue', 'tier=gold']);
      await tx.run((manager) => sut.update(manager, user, { labels: { team: 'red' } }, new Date()));
      expect(await labels()).toEqual(['team=red']);
      const byLabel = await sut.list(criteria({ labels: [{ key: 'team', operator: 'equals', value: 'red' }] }));
      expect(byLabel.users.map((u) => u.name)).toEqual(['labelled']);
      await tx.run((manager) => sut.deleteById(manager, user.id));
      expect(await labels()).toEqual([]);
    });

    it('pages in any supported order give exactly the slices of the whole list, from either end', async () => {
      const orders: UserSort[][] = [
        [...DEFAULT_USER_ORDER],
        [{ key: 'email', direction: 'asc' }, ...DEFAULT_USER_ORDER],
        [{ key: 'displayName', direction: 'desc' }, ...DEFAULT_USER_ORDER],
        [{ key: 'disabled', direction: 'asc' }, { key: 'name', direction: 'desc' }, ...DEFAULT_USER_ORDER],
      ];
      const filters: Partial<UserListCriteria>[] = [
        {},
        { fields: [{ key: 'name', operator: 'notEquals', value: 'u007' }] },
        { fields: [{ key: 'disabled', operator: 'equals', value: 'false' }] },
      ];
      for (const sort of orders) {
        for (const filter of filters) {
          const whole = await sut.list(criteria({ ...filter, sort }));
          expect(whole.total).toBe(whole.users.length);
          await sut.list(criteria({ ...filter, sort, offset: 20, limit: 1 }));
          await sut.settleAnchors();
          for (const size of [7, 40]) {
            const pages: string[] = [];
            for (let offset = 0; offset < whole.total; offset += size) {
              const page = await sut.list(criteria({ ...filter, sort, offset, limit: size }));
              expect(page.total).toBe(whole.total);
              pages.push(...page.users.map((u) => u.name));
            }
            expect(pages).toEqual(whole.users.map((u) => u.name));
          }
        }
      }
    });

    it('keeps anchored pages right as users are added, reordered and removed', async () => {
      const excluded = criteria({ fields: [{ key: 'name', operator: 'notEquals', value: 'u003' }] });
      const check = async (label: string) => {
        const whole = (await sut.list(excluded)).users.map((u) => u.name);
        // Once through the plain path (anchors stale), then with the rebuilt anchors.
        const plain = await sut.list({ ...excluded, offset: 37, limit: 12 });
        expect(plain.users.map((u) => u.name)).toEqual(whole.slice(37, 49));
        await sut.settleAnchors();
        for (const offset of [10, 37, 95, whole.length - 5]) {
          const page = await sut.list({ ...excluded, offset, limit: 12 });
          expect(page.users.map((u) => u.name)).toEqual(whole.slice(offset, offset + 12));
        }
        return whole;
      };
      await check('initial');
      const newest = await sut.insert(newUser('newest', 'Newest', null), new Date(Date.UTC(2030, 0, 1)));
      expect((await check('after an insert'))[0]).toBe('newest');
      await dataSource.query(`UPDATE users SET created_at = 0 WHERE name = 'newest'`);
      const reordered = await check('after a reorder');
      expect(reordered[reordered.length - 1]).toBe('newest');
      await tx.run((manager) => sut.deleteById(manager, newest.id));
      expect((await check('after a delete')).includes('newest')).toBe(false);
    });

    it('counts role holders from the bindings, which cannot outlive their user', async () => {
      const user = await sut.insert(newUser('bound', 'Bound', null), new Date());
      await dataSource.query(`INSERT INTO role_bindings (name, role_name, subject_name, created_at) VALUES ('b1', 'tester', 'bound', 0)`);
      const page = await sut.list(criteria({ role: 'tester', fields: [{ key: 'name', operator: 'notEquals', value: 'ghost' }] }));
      expect(page.total).toBe(1);
      expect(page.users.map((u) => u.name)).toEqual(['bound']);
      await tx.run((manager) => sut.deleteById(manager, user.id));
      expect((await sut.list(criteria({ role: 'tester' }))).total).toBe(0);
      await expect(dataSource.query(`INSERT INTO role_bindings (name, role_name, subject_name, created_at) VALUES ('b2', 'tester', 'nobody-at-all', 0)`)).rejects.toThrow(); // a binding needs an existing user
    });

    it('finds the same users by keyword as a plain scan would', async () => {
      const next = random(7);
      const keywords = ['ada', 'GRACE', 'zoë', '李', '50%', 'e_c', "o'n", 'u012@example.test', 'u013', 'x'];
      for (let i = 0; i < 15; i++) {
        const user = users[Math.floor(next() * users.length)]!;
        const start = Math.floor(next() * (user.displayName.length - 3));
        keywords.push(user.displayName.slice(start, start + 1 + Math.floor(next() * 6)));
      }
      for (const keyword of keywords) {
        const lower = keyword.toLowerCase();
        const expected = users
          .filter((u) => u.email?.toLowerCase() === lower || u.name === keyword || u.displayName.toLowerCase().includes(lower))
          .map((u) => u.name)
          .sort();
        const found = await sut.list(criteria({ keyword }));
        expect(found.users.map((u) => u.name).sort()).toEqual(expected);
        expect(found.total).toBe(expected.length);
      }
    });

    it('follows display-name changes in the search index', async () => {
      const user = await sut.insert(newUser('renamed', 'Before Rename', null), new Date());
      await tx.run((manager) => sut.update(manager, user, { displayName: 'After Quixotic' }, new Date()));
      expect((await sut.list(criteria({ keyword: 'quixotic' }))).users.map((u) => u.name)).toEqual(['renamed']);
      expect((await sut.list(criteria({ keyword: 'before ren' }))).users).toEqual([]);
    });

    it('keeps the derived columns right when an update leaves their sources alone, and when it changes them', async () => {
      const user = await sut.insert(newUser('derived', 'Mixed Case Derived', 'Derived@Example.test', { emailVerified: true }), new Date());
      await tx.run((manager) => sut.update(manager, user, { annotations: { note: 'only this' } }, new Date()));
      let stored = (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id }))!;
      expect([stored.displayNameLower, stored.emailLower, stored.verifiedEmail]).toEqual(['mixed case derived', 'derived@example.test', 'derived@example.test']);
      expect((await sut.list(criteria({ keyword: 'case deriv' }))).users.map((u) => u.name)).toEqual(['derived']);

      await tx.run((manager) => sut.update(manager, stored, { email: 'Other@Example.test', emailVerified: false }, new Date()));
      stored = (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id }))!;
      expect([stored.displayNameLower, stored.emailLower, stored.verifiedEmail]).toEqual(['mixed case derived', 'other@example.test', null]);
      await tx.run((manager) => sut.update(manager, stored, { emailVerified: true }, new Date()));
      stored = (await dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id }))!;
      expect(stored.verifiedEmail).toBe('other@example.test');
    });

    it('runs concurrent transactions apart: a rollback never takes another one with it', async () => {
      const rollback = tx.run(async (manager) => {
        await manager.query(`UPDATE users SET bio = 'doomed' WHERE name = 'u001'`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      });
      const commit = tx.run(async (manager) => {
        await manager.query(`UPDATE users SET bio = 'kept' WHERE name = 'u002'`);
      });
      await expect(rollback).rejects.toThrow(/roll back/);
      await commit;
      const rows: { name: string; bio: string | null }[] = await dataSource.query(`SELECT name, bio FROM users WHERE name IN ('u001', 'u002') ORDER BY name`);
      expect(rows.map((r) => r.bio)).toEqual([null, 'kept']);
    });
  });
}
