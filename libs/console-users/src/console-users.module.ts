import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CONSOLE_USERS_CLOCK, SystemClock } from './common/clock';
import { ConsoleUsersConfigurableModule, CONSOLE_USERS_MODULE_OPTIONS } from './console-users.module-definition';
import {
  CONSOLE_USERS_OPTIONS,
  ConsoleUsersModuleOptions,
  ResolvedConsoleUsersOptions,
  resolveOptions,
} from './console-users.options';
import { ConsoleAuthGuard } from './auth/console-auth.guard';
import { ConsolePermissionGuard } from './auth/console-permission.guard';
import { RequestBodyGuard } from './http/request-body.guard';
import { HaloCoreRolesService } from './faces/halo/halo-core-roles.service';
import { HaloCoreUsersService } from './faces/halo/halo-core-users.service';
import { CodeLoginService } from './public-codes/code-login.service';
import { AddressBindingService } from './public-codes/address-binding.service';
import { PasswordChangeRequiredGuard } from './auth/password-change-required.guard';
import { CredentialRevocationService } from './auth/credential-revocation.service';
import { CredentialsVerifier } from './auth/credentials-verifier.service';
import { LoginController } from './auth/login.controller';
import { LoginService } from './auth/login.service';
import { DeviceCookies } from './auth/device-cookies';
import { PasswordGuessBudget } from './auth/password-guess-budget.service';
import { PersonalAccessTokensRepository } from './auth/personal-access-tokens.repository';
import { PersonalAccessTokensService } from './auth/personal-access-tokens.service';
import { PrincipalResolver } from './auth/principal-resolver.service';
import { PrincipalCache } from './auth/principal-cache';
import { UserRecordCache } from './users/user-record-cache';
import { UserRecordInvalidation } from './users/user-record-invalidation';
import { LocalPrincipalInvalidationBus } from './auth/principal-invalidation-bus';
import { CONSOLE_USERS_PRINCIPAL_INVALIDATION_BUS, PrincipalInvalidationService } from './auth/principal-invalidation.service';
import { SessionsRepository } from './auth/sessions.repository';
import { SessionsService } from './auth/sessions.service';
import { HaloProblemFilter } from './faces/halo/halo-problem.filter';
import { HealthController } from './health/health.controller';
import { ConsoleUsersMetrics } from './metrics/console-users-metrics';
import { DatabaseReadings } from './metrics/database-readings';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsEndpointGuard } from './metrics/metrics-endpoint.guard';
import { PermissionsService } from './rbac/permissions.service';
import { RoleBindingsRepository } from './rbac/role-bindings.repository';
import { RoleGraphProvider } from './rbac/role-graph.provider';
import { RolesRepository } from './rbac/roles.repository';
import { RateLimitRepository } from './throttling/rate-limit.repository';
import { TransactionRunner } from './database/transaction-runner';
import { RolesService } from './rbac/roles.service';
import { RoleWritesService } from './rbac/role-writes.service';
import { RoleCompositionPolicy } from './rbac/role-composition.policy';
import { AvatarStorage } from './users/avatar-storage';
import { AvatarsController } from './users/avatars.controller';
import { BootstrapService } from './users/bootstrap.service';
import { CurrentUserService } from './users/current-user.service';
import { Argon2idPasswordHasher, CONSOLE_USERS_PASSWORD_HASHER } from './users/password-hasher';
import { ImportAwarePasswordHasher } from './users/imported-password-hash';
import { BoundedPasswordHasher } from './users/bounded-password-hasher';
import { UserAccountsService } from './users/user-accounts.service';
import { UserAvatarsService } from './users/user-avatars.service';
import { UserListingService } from './users/user-listing.service';
import { UserManagementPolicy } from './users/user-management.policy';
import { UserDirectoryService } from './users/user-directory.service';
import { UserSearchRepository } from './users/user-search.repository';
import { TargetAccessPolicy } from './users/target-access.policy';
import { EmailAddressUseCase } from './users/email-address.use-case';
import { PasswordChangeUseCase } from './users/password-change.use-case';
import { UserPasswordsService } from './users/user-passwords.service';
import { OperatorPasswordReset } from './users/operator-password-reset.service';
import { UserRolesService } from './users/user-roles.service';
import { UserStatusService } from './users/user-status.service';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';
import { deriveKey } from './common/keys';
import { DevSmsSender } from './notifications/dev-sms.sender';
import { CONSOLE_USERS_MAIL_TRANSPORT } from './notifications/mail-transport';
import { NodemailerTransport } from './notifications/nodemailer.transport';
import { OUTBOX_PAYLOAD_CIPHER } from './notifications/notification.tokens';
import { NotificationsService } from './notifications/notifications.service';
import { OutboxRepository } from './notifications/outbox.repository';
import { OutboxWorker } from './notifications/outbox-worker.service';
import { DeliveryMonitor } from './notifications/delivery-monitor';
import { PayloadCipher } from './notifications/payload-cipher';
import { CONSOLE_USERS_SMS_SENDER } from './notifications/sms-sender';
import { TemplateRenderer } from './notifications/template-renderer';
import { SecretHasher } from './verification/code-secrets';
import { VerificationCodesRepository } from './verification/verification-codes.repository';
import { VerificationService } from './verification/verification.service';
import { VERIFICATION_SECRET_HASHER } from './verification/verification.tokens';
import { AuditService } from './audit/audit.service';
import { ConsoleThrottlerGuard } from './throttling/console-throttler.guard';
import { DatabaseThrottlerStorage } from './throttling/database-throttler.storage';
import { CONSOLE_USERS_THROTTLER_STORAGE } from './throttling/throttling.tokens';
import { EmailVerificationService } from './email-verification/email-verification.service';
import { serializeSqliteAccess } from './database/sqlite-access-serializer';
import { CONSOLE_USERS_DATA_SOURCE } from './database/data-source.token';
import { EmailStagesRepository } from './recovery/email-stages.repository';
import { EmailStagesService } from './recovery/email-stages.service';
import { HaloPasswordResetService } from './faces/halo/halo-password-reset.service';
import { RecoveryPageFilter } from './recovery/recovery-page.filter';
import { RecoveryPageRenderer } from './recovery/recovery-page.renderer';
import { RecoveryPagesController } from './recovery/recovery-pages.controller';
import { RecoveryPagesService } from './recovery/recovery-pages.service';
import { RecoveryService } from './recovery/recovery.service';
import { AuthentikEmailStagesService } from './faces/authentik/authentik-email-stages.service';
import { AuthentikErrorFilter } from './faces/authentik/authentik-error.filter';
import { AuthentikUsersService } from './faces/authentik/authentik-users.service';
import { DeliveriesService } from './notifications/deliveries.service';
import { AnqiCmsErrorFilter } from './faces/anqicms/anqicms-error.filter';
import { AnqiCmsLinksService } from './faces/anqicms/anqicms-links.service';
import { FresnsAccountService } from './faces/fresns/fresns-account.service';
import { FresnsCodesService } from './faces/fresns/fresns-codes.service';
import { FresnsErrorFilter } from './faces/fresns/fresns-error.filter';
import { AccountLookupRepository } from './public-codes/account-lookup.repository';
import { PasswordResetService } from './public-codes/password-reset.service';
import { PublicCodeService } from './public-codes/public-code.service';
import { SelfRegistrationService } from './public-codes/self-registration.service';
import { ZITADEL_PROVIDERS, ZitadelErrorFilter } from './faces/zitadel';
import { ConsoleUsersExceptionFilter } from './faces/faces-exception.filter';
import { LibraryRoutesFilter } from './faces/library-routes.filter';
import { CONSOLE_USERS_AUTHENTICATOR, createConsoleAuthenticator } from './auth/strategies/console-authenticator';
import { ConsoleBasicStrategy } from './auth/strategies/console-basic.strategy';
import { ConsoleLocalStrategy } from './auth/strategies/console-local.strategy';
import { ConsoleLocalAuthGuard } from './auth/strategies/console-local-auth.guard';
import { ConsolePatStrategy } from './auth/strategies/console-pat.strategy';
import { ConsoleSessionStrategy } from './auth/strategies/console-session.strategy';

/**
 * Admin-console user management: Halo's console user API, sessions and PATs, RBAC.
 * Register with `ConsoleUsersModule.forRoot({...})` or `forRootAsync({...})`; the host owns the
 * TypeORM DataSource and must include {@link CONSOLE_USERS_ENTITIES} and
 * {@link CONSOLE_USERS_MIGRATIONS} in it.
 */
@Module({
  controllers: [
    LoginController,
    AvatarsController,
    HealthController,
    MetricsController,
    RecoveryPagesController,
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
    // The default hasher, a provider of its own so that its threads end at application shutdown
    // (they start on first use only: nothing runs when a host brings its own hasher).
    { provide: Argon2idPasswordHasher, useFactory: () => new Argon2idPasswordHasher() },
    {
      provide: CONSOLE_USERS_PASSWORD_HASHER,
      inject: [CONSOLE_USERS_MODULE_OPTIONS, CONSOLE_USERS_OPTIONS, ConsoleUsersMetrics, Argon2idPasswordHasher],
      // Imported hashes (ZITADEL's hashedPassword) are checked by their own algorithm until rehashed.
      // The bound wraps both, so imported bcrypt/argon2 checks and a host's hasher wait their turn too.
      useFactory: (raw: ConsoleUsersModuleOptions, options: ResolvedConsoleUsersOptions, metrics: ConsoleUsersMetrics, argon2id: Argon2idPasswordHasher) => {
        const hasher = new BoundedPasswordHasher(
          new ImportAwarePasswordHasher(raw.passwordHasher ?? argon2id),
          options.passwordHashing,
          () => metrics.passwordHashingRefusals.inc(),
        );
        metrics.addSource({
          collect: async (m) => {
            const { running, queued } = hasher.load;
            m.passwordHashingLoad.set({ state: 'running' }, running);
            m.passwordHashingLoad.set({ state: 'queued' }, queued);
          },
        });
        return hasher;
      },
    },
    {
      provide: OUTBOX_PAYLOAD_CIPHER,
      inject: [CONSOLE_USERS_OPTIONS],
      useFactory: (options: ResolvedConsoleUsersOptions) => new PayloadCipher(deriveKey(options.appSecret, 'outbox-payload')),
    },
    {
      provide: VERIFICATION_SECRET_HASHER,
      inject: [CONSOLE_USERS_OPTIONS],
      useFactory: (options: ResolvedConsoleUsersOptions) => new SecretHasher(deriveKey(options.appSecret, 'code-hmac')),
    },
    {
      provide: CONSOLE_USERS_MAIL_TRANSPORT,
      inject: [CONSOLE_USERS_MODULE_OPTIONS, CONSOLE_USERS_OPTIONS, TemplateRenderer],
      useFactory: (raw: ConsoleUsersModuleOptions, options: ResolvedConsoleUsersOptions, renderer: TemplateRenderer) =>
        raw.mailTransport ??
        new NodemailerTransport({
          transport: options.mail.transport,
          templateDirs: renderer.templateDirs,
          devMailboxDir: options.mail.devMailboxDir,
        }),
    },
    {
      provide: CONSOLE_USERS_SMS_SENDER,
      inject: [CONSOLE_USERS_MODULE_OPTIONS, CONSOLE_USERS_OPTIONS],
      useFactory: (raw: ConsoleUsersModuleOptions, options: ResolvedConsoleUsersOptions) =>
        raw.smsSender ?? new DevSmsSender(options.mail.devMailboxDir),
    },
    {
      provide: PrincipalCache,
      inject: [CONSOLE_USERS_MODULE_OPTIONS],
      useFactory: (raw: ConsoleUsersModuleOptions) => new PrincipalCache(raw.principalCache),
    },
    {
      // Same lifetime and size as the principal cache: one setting bounds how stale a read may be.
      provide: UserRecordCache,
      inject: [CONSOLE_USERS_MODULE_OPTIONS, CONSOLE_USERS_DATA_SOURCE],
      useFactory: (raw: ConsoleUsersModuleOptions, db: DataSource) => {
        const cache = new UserRecordCache(raw.principalCache);
        UserRecordInvalidation.install(db, cache);
        return cache;
      },
    },
    {
      provide: CONSOLE_USERS_PRINCIPAL_INVALIDATION_BUS,
      inject: [CONSOLE_USERS_MODULE_OPTIONS],
      useFactory: (raw: ConsoleUsersModuleOptions) => raw.principalCache?.invalidationBus ?? new LocalPrincipalInvalidationBus(),
    },
    PrincipalInvalidationService,
    DatabaseThrottlerStorage,
    {
      provide: CONSOLE_USERS_THROTTLER_STORAGE,
      inject: [CONSOLE_USERS_MODULE_OPTIONS, DatabaseThrottlerStorage],
      useFactory: (raw: ConsoleUsersModuleOptions, database: DatabaseThrottlerStorage) => raw.throttling?.storage ?? database,
    },
    ConsoleThrottlerGuard,
    AuditService,
    TemplateRenderer,
    OutboxRepository,
    NotificationsService,
    OutboxWorker,
    DeliveryMonitor,
    DeliveriesService,
    VerificationCodesRepository,
    VerificationService,
    EmailVerificationService,
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
    DeviceCookies,
    PasswordGuessBudget,
    PersonalAccessTokensService,
    CredentialRevocationService,
    UsersService,
    UserListingService,
    UserManagementPolicy,
    UserSearchRepository,
    UserDirectoryService,
    TargetAccessPolicy,
    UserAccountsService,
    CurrentUserService,
    PasswordChangeUseCase,
    EmailAddressUseCase,
    UserPasswordsService,
    UserRolesService,
    UserStatusService,
    AvatarStorage,
    UserAvatarsService,
    RolesService,
    RoleWritesService,
    RoleCompositionPolicy,
    BootstrapService,
    ConsoleAuthGuard,
    ConsolePermissionGuard,
    RequestBodyGuard,
    PasswordChangeRequiredGuard,
    HaloProblemFilter,
    ConsoleUsersExceptionFilter,
    // Joins the app's global filters at init: the faces' formats on our paths, the host's elsewhere.
    LibraryRoutesFilter,
    // Passport: the module's own authenticator, and the strategies (registered in it and in `passport`).
    { provide: CONSOLE_USERS_AUTHENTICATOR, useFactory: createConsoleAuthenticator },
    ConsoleSessionStrategy,
    ConsolePatStrategy,
    ConsoleBasicStrategy,
    ConsoleLocalStrategy,
    ConsoleLocalAuthGuard,
    {
      // Before any request: SQLite transactions must not swallow other requests' statements.
      provide: 'console-users:sqlite-access-serializer',
      inject: [CONSOLE_USERS_DATA_SOURCE],
      useFactory: (db: DataSource) => {
        serializeSqliteAccess(db);
        return true;
      },
    },
    TransactionRunner,
    EmailStagesRepository,
    EmailStagesService,
    RecoveryService,
    RecoveryPagesService,
    RecoveryPageRenderer,
    RecoveryPageFilter,
    AuthentikUsersService,
    AuthentikEmailStagesService,
    AuthentikErrorFilter,
    AccountLookupRepository,
    PublicCodeService,
    SelfRegistrationService,
    PasswordResetService,
    HaloPasswordResetService,
    HaloCoreRolesService,
    HaloCoreUsersService,
    FresnsCodesService,
    FresnsAccountService,
    CodeLoginService,
    AddressBindingService,
    FresnsErrorFilter,
    AnqiCmsLinksService,
    AnqiCmsErrorFilter,
    ...ZITADEL_PROVIDERS,
    { provide: ConsoleUsersMetrics, useFactory: () => new ConsoleUsersMetrics() },
    DatabaseReadings,
    MetricsEndpointGuard,
    OperatorPasswordReset,
  ],
  exports: [
    CONSOLE_USERS_OPTIONS,
    AuditService,
    ConsoleThrottlerGuard,
    VerificationService,
    NotificationsService,
    OutboxWorker,
    CONSOLE_USERS_CLOCK,
    ConsoleAuthGuard,
    ConsolePermissionGuard,
    PrincipalResolver,
    // What ConsoleAuthGuard/ConsolePermissionGuard need when a host puts them on its own routes.
    RoleGraphProvider,
    CONSOLE_USERS_AUTHENTICATOR,
    ConsoleSessionStrategy,
    ConsolePatStrategy,
    ConsoleBasicStrategy,
    ConsoleLocalStrategy,
    PrincipalCache,
    PrincipalInvalidationService,
    UsersService,
    TransactionRunner,
    HaloProblemFilter,
    ConsoleUsersExceptionFilter,
    RequestBodyGuard,
    PasswordChangeRequiredGuard,
    PasswordChangeUseCase,
    EmailAddressUseCase,
    CredentialRevocationService,
    RecoveryService,
    AuthentikErrorFilter,
    RecoveryPageFilter,
    ZitadelErrorFilter,
    FresnsErrorFilter,
    AnqiCmsErrorFilter,
    ConsoleUsersMetrics,
    OperatorPasswordReset,
  ],
})
export class ConsoleUsersModule extends ConsoleUsersConfigurableModule {}
