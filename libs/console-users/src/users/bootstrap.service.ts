import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { randomToken } from '../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { BUILTIN_ROLES } from '../rbac/builtin-roles';
import { RoleNames } from '../rbac/rbac-labels';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { RolesRepository } from '../rbac/roles.repository';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from './password-hasher';
import { SYSTEM_USERS } from './system-users';
import { newUser } from './new-user';
import { UsersRepository } from './users.repository';

/**
 * Seeds what every installation needs at boot: the built-in roles, Halo's system users and,
 * on an empty database, the first super-role admin.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ConsoleUsersBootstrap');

  constructor(
    private readonly roles: RolesRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly users: UsersRepository,
    private readonly roleGraph: RoleGraphProvider,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const now = this.clock.now();
    for (const role of BUILTIN_ROLES) {
      await this.roles.upsertBuiltin(role, now);
    }
    this.roleGraph.invalidate();
    for (const user of SYSTEM_USERS) {
      await this.users.insertIfAbsent(user, now);
    }
    await this.createFirstAdmin(now);
  }

  private async createFirstAdmin(now: Date): Promise<void> {
    const admin = this.options.bootstrapAdmin;
    if (admin === false || (await this.users.countRealUsers()) > 0) {
      return;
    }
    const generated = admin.password ? undefined : randomToken(18);
    const passwordHash = await this.hasher.hash(admin.password ?? generated!);
    try {
      await this.tx.run(async (manager) => {
        await this.users.insert(newUser({ name: admin.username, email: admin.email, passwordHash, registeredAt: now }), now, manager);
        await this.bindings.replaceRoles(manager, admin.username, [RoleNames.superRole], now);
      });
    } catch (error) {
      // Another instance created it first.
      if (await this.users.findByName(admin.username)) {
        return;
      }
      throw error;
    }
    this.logger.log(`Created the first administrator "${admin.username}" with role ${RoleNames.superRole}.`);
    if (this.options.onAdminCreated) {
      this.options.onAdminCreated(admin.username, generated);
    } else if (generated !== undefined) {
      // Nobody else will ever see it: without this line the host's first admin could never log in.
      this.logger.warn(firstAdminBanner(admin.username, generated));
    }
  }
}

/** The one-time notice of a generated first-admin password, as the console server prints it. */
export function firstAdminBanner(username: string, password: string): string {
  return [
    '',
    '==================================================================',
    ` First administrator created: ${username}`,
    ` Password (shown only this once): ${password}`,
    '==================================================================',
  ].join('\n');
}
