/**
 * Public API of the console-users library. Anything not exported here is internal.
 */
export { ConsoleUsersModule } from './console-users.module';
export {
  CONSOLE_USERS_MODULE_OPTIONS,
  CONSOLE_USERS_OPTIONS_TYPE,
  CONSOLE_USERS_ASYNC_OPTIONS_TYPE,
} from './console-users.module-definition';
export type {
  ConsoleUsersModuleOptions,
  ConsoleUsersModuleExtras,
  BootstrapAdminOptions,
  SessionOptions,
  LoginLimitOptions,
  ResolvedConsoleUsersOptions,
  VerificationLimitOptions,
  MailOptions,
  OutboxOptions,
  PublicCodeOptions,
  ThrottlingOptions,
  IpLimit,
  RecoveryLimitOptions,
  ZitadelFaceOptions,
} from './console-users.options';
export { CONSOLE_USERS_OPTIONS } from './console-users.options';
export { CONSOLE_USERS_ENTITIES, CONSOLE_USERS_MIGRATIONS } from './database/schema';
export { CONSOLE_USERS_DATA_SOURCE } from './database/data-source.token';
export { bindSqliteNumbersAsParameters } from './database/sqlite-parameters';
export { Clock, CONSOLE_USERS_CLOCK, SystemClock, ManualClock } from './common/clock';
export { PasswordHasher, CONSOLE_USERS_PASSWORD_HASHER, Argon2idPasswordHasher } from './users/password-hasher';
export { TrustProxySetting, parseTrustProxy, ClientIpResolver } from './http/client-ip';
export { ConsoleAuthGuard } from './auth/console-auth.guard';
export { PrincipalResolver } from './auth/principal-resolver.service';
export type { Principal, UserPrincipal, AnonymousPrincipal } from './auth/principal';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { RequiresPermission, PublicRoute, PermissionSpec } from './rbac/requires-permission.decorator';
export { HaloProblemFilter } from './errors/halo-problem.filter';
export { PathDispatchFilter } from './errors/path-dispatch.filter';
export { ZitadelErrorFilter, ZITADEL_ERROR_MAP, ZITADEL_ERROR_DETAIL_TYPE, ZITADEL_PATH_PREFIX, GrpcCode } from './compat/zitadel';
export type { ZitadelErrorBody } from './compat/zitadel';
export { DomainError } from './errors/domain-error';
export { ErrorCode } from './errors/error-code';
export { PROBLEM_JSON } from './errors/problem-detail';
export type { ProblemDetail } from './errors/problem-detail';
export { VerificationService } from './verification/verification.service';
export type { IssueSecretRequest, IssuedSecret, VerifiedSecret, VerifyCodeRequest, SecretDelivery, LinkState } from './verification/verification.service';
export { VerificationPurpose, VerificationChannel, SecretKind } from './verification/verification-purpose';
export { NotificationsService } from './notifications/notifications.service';
export type { QueuedMessage } from './notifications/notifications.service';
export { OutboxWorker } from './notifications/outbox-worker.service';
export { MailTransport, OutgoingMail, CONSOLE_USERS_MAIL_TRANSPORT } from './notifications/mail-transport';
export { SmsSender, CONSOLE_USERS_SMS_SENDER } from './notifications/sms-sender';
export { HttpSmsSender } from './notifications/http-sms.sender';
export type { HttpSmsSenderOptions } from './notifications/http-sms.sender';
export { FRESNS_ERROR_MAP, FresnsErrorFilter } from './compat/fresns/fresns-error.filter';
export { ANQICMS_ERROR_MAP, AnqiCmsErrorFilter } from './compat/anqicms/anqicms-error.filter';
export { CredentialRevocationService, ACCOUNT_RECOVERY_PURPOSES } from './auth/credential-revocation.service';
export { RecoveryService } from './recovery/recovery.service';
export type { RecoveryTarget, RecoveryLinkRequest, RecoveryMailRequest, IssuedRecoveryLink } from './recovery/recovery.service';
export { parseDuration, parseRecoveryTokenDuration } from './recovery/token-duration';
export { AuthentikErrorFilter } from './compat/authentik/authentik-error.filter';
export { RecoveryPageFilter } from './recovery/recovery-page.filter';
export { authentikPathRewrite } from './compat/authentik/authentik-paths';
export { RedisThrottlerStorage } from './throttling/redis-throttler.storage';
export type { RedisScriptClient, RedisThrottlerStorageOptions } from './throttling/redis-throttler.storage';
export {
  CONSOLE_UI_DIR,
  CONSOLE_UI_PATH,
  CONSOLE_UI_ASSET_CACHE_CONTROL,
  CONSOLE_UI_INDEX_CACHE_CONTROL,
  CONSOLE_UI_CSP,
  CONSOLE_UI_SECURITY_HEADERS,
  consoleUiUrl,
  isConsoleUiAssetPath,
} from './console-ui/console-ui';
