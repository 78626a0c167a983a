import type { DataSource } from 'typeorm';
import { RoleBindingEntity } from '../../libs/console-users/src/rbac/role-binding.entity';
import { bindingName } from '../../libs/console-users/src/rbac/role-bindings.repository';
import { RoleEntity } from '../../libs/console-users/src/rbac/role.entity';
import { newUser } from '../../libs/console-users/src/users/new-user';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { derivedColumns } from '../../libs/console-users/src/users/users.repository';

const FIRST = ['Alice', 'Bob', 'Carol', 'David', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj', 'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent', 'Victor', 'Walter', 'Xena', 'Yara', 'Zoe', 'Liam', 'Noah', 'Emma', 'Ava', 'Mia', 'Lucas', 'Mateo', 'Chen', 'Wei', 'Fang', 'Hiro', 'Yuki', 'Sven', 'Ingrid', 'Pavel', 'Olga', 'Amir', 'Leila'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores'];

/** The custom role 10 % of the seeded users hold (the role-filter scenario). */
export const BENCH_ROLE = 'editor';

/** Creation time of seeded user `i`: one second apart, all older than the bootstrap admin. */
const BASE = Date.UTC(2020, 0, 1);

/** Name, display name and email of seeded user `i` (1-based). */
export function benchUser(i: number): { name: string; displayName: string; email: string } {
  const name = `user-${String(i).padStart(6, '0')}`;
  const displayName = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`;
  return { name, displayName, email: `${name}@example.com` };
}

/** Role of seeded user `i`: 10 % `editor`, 60 % `guest`, the rest none. */
function roleOf(i: number): string | undefined {
  const bucket = i % 10;
  return bucket === 0 ? BENCH_ROLE : bucket < 7 ? 'guest' : undefined;
}

/** Inserts users `from`..`to` (inclusive) and their role bindings, in chunks, through TypeORM. */
export async function seedUsers(db: DataSource, from: number, to: number): Promise<void> {
  await db
    .getRepository(RoleEntity)
    .createQueryBuilder()
    .insert()
    .values({ name: BENCH_ROLE, labels: {}, annotations: { 'rbac.authorization.halo.run/display-name': 'Editor' }, rules: [], version: 0, createdAt: new Date(BASE) })
    .orIgnore()
    // Nothing to read back (and on the second call nothing was inserted to read back).
    .updateEntity(false)
    .execute();
  const chunk = db.options.type === 'postgres' ? 2000 : 500;
  const updatedAt = new Date();
  for (let start = from; start <= to; start += chunk) {
    const end = Math.min(start + chunk - 1, to);
    const users: Partial<UserEntity>[] = [];
    const bindings: Partial<RoleBindingEntity>[] = [];
    for (let i = start; i <= end; i++) {
      const { name, displayName, email } = benchUser(i);
      const createdAt = new Date(BASE + i * 1000);
      const user = newUser({ name, displayName, email, disabled: i % 50 === 0, registeredAt: createdAt });
      users.push({ ...user, ...derivedColumns(user), version: 0, createdAt, updatedAt });
      const role = roleOf(i);
      if (role) {
        bindings.push({ name: bindingName(name, role), roleName: role, subjectName: name, createdAt });
      }
    }
    await db.transaction(async (manager) => {
      // updateEntity(false): generated columns are not read back; a seed does not need them.
      await manager.createQueryBuilder().insert().into(UserEntity).values(users).updateEntity(false).execute();
      if (bindings.length > 0) {
        await manager.createQueryBuilder().insert().into(RoleBindingEntity).values(bindings).updateEntity(false).execute();
      }
    });
  }
  // What autovacuum/auto-analyze would do on a live system: planner statistics, visibility map.
  if (db.options.type === 'postgres') {
    await db.query('VACUUM ANALYZE users');
    await db.query('VACUUM ANALYZE role_bindings');
    // A million inserted rows leave hundreds of megabytes of dirty pages, which the checkpointer
    // otherwise writes out spread over minutes, through the measurements that follow. A system
    // that has run for a while with that many users has them on disk already.
    const started = Date.now();
    await db.query('CHECKPOINT');
    process.stderr.write(`[bench:list-users] checkpoint after seeding: ${Date.now() - started} ms\n`);
  } else {
    await db.query('ANALYZE');
  }
}
