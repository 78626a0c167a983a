import type { DataSource } from 'typeorm';
import { Argon2idPasswordHasher } from '../../libs/console-users/src/users/password-hasher';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { derivedColumns } from '../../libs/console-users/src/users/users.repository';
import { newUser } from '../../libs/console-users/src/users/new-user';
import { RoleBindingEntity } from '../../libs/console-users/src/rbac/role-binding.entity';
import { bindingName } from '../../libs/console-users/src/rbac/role-bindings.repository';

const hasher = new Argon2idPasswordHasher();

/** A user to put straight into the database. */
export interface SeedUser {
  name: string;
  password: string;
  roles?: string[];
  email?: string;
  emailVerified?: boolean;
  displayName?: string;
  disabled?: boolean;
  /** A ready argon2id hash of `password`, to seed many users without hashing each (benchmarks). */
  passwordHash?: string;
  /** Stored language preference (mails use it before Accept-Language). */
  language?: string;
}

/** Inserts a user (and its role bindings) directly, for tests that need one before the API can make it. */
export async function seedUser(db: DataSource, seed: SeedUser): Promise<UserEntity> {
  const now = new Date();
  const email = seed.email ?? `${seed.name}@example.test`;
  const displayName = seed.displayName ?? seed.name;
  const emailVerified = seed.emailVerified ?? false;
  const repo = db.getRepository(UserEntity);
  await repo.insert({
    ...newUser({
      name: seed.name,
      displayName,
      email,
      emailVerified,
      passwordHash: seed.passwordHash ?? (await hasher.hash(seed.password)),
      disabled: seed.disabled ?? false,
      language: seed.language ?? null,
    }),
    ...derivedColumns({ displayName, email, emailVerified }),
    version: 0,
    createdAt: now,
    updatedAt: now,
  });
  for (const role of seed.roles ?? []) {
    await db.getRepository(RoleBindingEntity).insert({ name: bindingName(seed.name, role), roleName: role, subjectName: seed.name, createdAt: now });
  }
  return (await repo.findOneByOrFail({ name: seed.name }));
}
