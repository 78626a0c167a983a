import { Module } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, SystemClock } from './common/clock';
import { ConsoleUsersConfigurableModule, CONSOLE_USERS_MODULE_OPTIONS } from './console-users.module-definition';
import { CONSOLE_USERS_OPTIONS, ConsoleUsersModuleOptions, resolveOptions } from './console-users.options';
import { ConsoleAuthGuard } from './auth/console-auth.guard';
import { CredentialRevocationService } from './auth/credential-revocation.service';
import { CredentialsVerifier } from './auth/credentials-verifier.service';
import { LoginController } from './auth/login.controller';
import { LoginService } from './auth/login.service';
import { PersonalAccessTokensController } from './auth/personal-access-tokens.controller';
import { PersonalAccessTokensRepository } from './auth/personal-access-tokens.repository';
import { PersonalAccessTokensService } from './auth/personal-access-tokens.service';
import { PrincipalResolver } from './auth/principal-resolver.service';
import { SessionsRepository } from './auth/sessions.repository';
import { SessionsService } from './auth/sessions.service';
import { HaloProblemFilter } from './errors/halo-problem.filter';
import { HealthController } from './health/health.controller';
import { PermissionsService } from './rbac/permissions.service';
import { RoleBindingsRepository } from './rbac/role-bindings.repository';
import { RoleGraphProvider } from './rbac/role-graph.provider';
import { RolesRepository } from './rbac/roles.repository';
import { RateLimitRepository } from './throttling/rate-limit.repository';
import { TransactionRunner } from './database/transaction-runner';
import { CoreRolesController } from './rbac/core-roles.controller';
import { RolesService } from './rbac/roles.service';
import { AvatarStorage } from './users/avatar-storage';
import { AvatarsController } from './users/avatars.controller';
import { BootstrapService } from './users/bootstrap.service';
import { CoreUsersController } from './users/core-users.controller';
import { CurrentUserService } from './users/current-user.service';
import { HaloUserSecurityController } from './users/halo-user-security.controller';
import { HaloUsersController } from './users/halo-users.controller';
import { Argon2idPasswordHasher, CONSOLE_USERS_PASSWORD_HASHER } from './users/password-hasher';
import { UserAccountsService } from './users/user-accounts.service';
import { UserAvatarsService } from './users/user-avatars.service';
import { UserListingService } from './users/user-listing.service';
import { UserManagementPolicy } from './users/user-management.policy';
import { UserPasswordsService } from './users/user-passwords.service';
import { UserRolesService } from './users/user-roles.service';
import { UserStatusService } from './users/user-status.service';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/**
 * Admin-console user management: Halo's console user API, sessions and PATs, RBAC.
 * Register with `ConsoleUsersModule.forRoot({...})` or `forRootAsync({...})`; the host owns the
 * TypeORM DataSource and must include {@link CONSOLE_USERS_ENTITIES} and
 * {@link CONSOLE_USERS_MIGRATIONS} in it.
 */
@Module({
  controllers: [
    LoginController,
    HaloUsersController,
    HaloUserSecurityController,
    CoreUsersController,
    CoreRolesController,
    AvatarsController,
    PersonalAccessTokensController,
    HealthController,
  ],
  providers: [
    {
      provide: CONSOLE_USERS_OPTIONS,
      inject: [CONSOLE_USERS_MODULE_OPTIONS],
      useFactory: (options: ConsoleUsersModuleOptions) => resolveOptions(options),
    },
    {
      provide: CONSOLE_USERS_CLOCK,
      inject: [CONSOLE_USERS_MODULE_OPTIONS],
      useFactory: (options: ConsoleUsersModuleOptions) => options.clock ?? new SystemClock(),
    },
    {
      provide: CONSOLE_USERS_PASSWORD_HASHER,
      inject: [CONSOLE_USERS_MODULE_OPTIONS],
      useFactory: (options: ConsoleUsersModuleOptions) => options.passwordHasher ?? new Argon2idPasswordHasher(),
    },
    UsersRepository,
    RolesRepository,
    RoleBindingsRepository,
    SessionsRepository,
    PersonalAccessTokensRepository,
    RateLimitRepository,
    RoleGraphProvider,
    PermissionsService,
    CredentialsVerifier,
    SessionsService,
    PrincipalResolver,
    LoginService,
    PersonalAccessTokensService,
    CredentialRevocationService,
    TransactionRunner,
    UsersService,
    UserListingService,
    UserManagementPolicy,
    UserAccountsService,
    CurrentUserService,
    UserPasswordsService,
    UserRolesService,
    UserStatusService,
    AvatarStorage,
    UserAvatarsService,
    RolesService,
    BootstrapService,
    ConsoleAuthGuard,
    HaloProblemFilter,
  ],
  exports: [
    CONSOLE_USERS_OPTIONS,
    CONSOLE_USERS_CLOCK,
    ConsoleAuthGuard,
    PrincipalResolver,
    UsersService,
    TransactionRunner,
    HaloProblemFilter,
  ],
})
export class ConsoleUsersModule extends ConsoleUsersConfigurableModule {}
