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
  PrincipalCacheSettings,
  PasswordHashingOptions,
} from './console-users.options';
export { CONSOLE_USERS_OPTIONS } from './console-users.options';
export { CONSOLE_USERS_ENTITIES, CONSOLE_USERS_MIGRATIONS } from './console-users.schema';
export { CONSOLE_USERS_DATA_SOURCE } from './database/data-source.token';
export { bindSqliteNumbersAsParameters } from './database/sqlite-parameters';
export { Clock, CONSOLE_USERS_CLOCK, SystemClock, ManualClock } from './common/clock';
export { PasswordHasher, CONSOLE_USERS_PASSWORD_HASHER, Argon2idPasswordHasher } from './users/password-hasher';
export {
  BoundedPasswordHasher,
  PasswordHashingBusyError,
  defaultPasswordHashingConcurrency,
  defaultPasswordHashingCpuShare,
  DEFAULT_PASSWORD_HASHING_MAX_QUEUED,
  PASSWORD_HASHING_RETRY_AFTER_SECONDS,
} from './users/bounded-password-hasher';
export type { PasswordHashingLimits } from './users/bounded-password-hasher';
export { TrustProxySetting, parseTrustProxy, ClientIpResolver } from './http/client-ip';
export { ConsoleAuthGuard } from './auth/console-auth.guard';
export { ConsolePermissionGuard } from './auth/console-permission.guard';
export { RequestBodyGuard } from './http/request-body.guard';
export { CONSOLE_REQUEST_PROPERTIES } from './http/http-types';
export { andThen, isPromiseLike, type MaybePromise } from './common/maybe-promise';
export { PasswordChangeRequiredGuard, AllowedWhilePasswordChangeRequired } from './auth/password-change-required.guard';
export { PASSWORD_CHANGE_REQUIRED_ANNOTATION, isPasswordChangeRequired } from './users/password-change-required';
export { BodyLimit, AcceptsMediaTypes } from './http/body-rules.decorator';
export { JSON_MAX_DEPTH, unsupportedCharset, tooDeep } from './http/json-body-rules';
export { PrincipalResolver } from './auth/principal-resolver.service';
export {
  CONSOLE_SESSION_STRATEGY,
  CONSOLE_PAT_STRATEGY,
  CONSOLE_BASIC_STRATEGY,
  CONSOLE_LOCAL_STRATEGY,
  CONSOLE_REQUEST_STRATEGIES,
} from './auth/strategies/strategy-names';
export { ConsoleSessionStrategy } from './auth/strategies/console-session.strategy';
export { ConsolePatStrategy } from './auth/strategies/console-pat.strategy';
export { ConsoleBasicStrategy } from './auth/strategies/console-basic.strategy';
export { ConsoleLocalStrategy } from './auth/strategies/console-local.strategy';
export { CONSOLE_USERS_AUTHENTICATOR, authenticateRequest, identifyCaller } from './auth/strategies/console-authenticator';
export { CONSOLE_REQUEST_STRATEGY, isConsoleRequestStrategy, type ConsoleRequestStrategy } from './auth/strategies/console-request-strategy';
export type { ConsoleAuthenticator } from './auth/strategies/console-authenticator';
export type { Principal, UserPrincipal, AnonymousPrincipal } from './auth/principal';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { RequiresPermission, PublicRoute, PermissionSpec } from './rbac/requires-permission.decorator';
export { HaloProblemFilter } from './faces/halo/halo-problem.filter';
export { PathDispatchFilter } from './errors/path-dispatch.filter';
export { ConsoleUsersExceptionFilter } from './faces/faces-exception.filter';
export { LibraryRoutesFilter, CORE_PATH_PREFIXES } from './faces/library-routes.filter';
export { CONSOLE_USERS_FACES } from './faces/console-face';
export type { ConsoleFace, FaceName } from './faces/console-face';
export { ALL_FACES, ALL_FACE_NAMES } from './faces/faces';
export { HALO_FACE, HALO_PATH_PREFIXES } from './faces/halo/halo.face';
export { AUTHENTIK_FACE, AUTHENTIK_PATH_PREFIXES } from './faces/authentik/authentik.face';
export { FRESNS_FACE, FRESNS_PATH_PREFIXES } from './faces/fresns/fresns.face';
export { ANQICMS_FACE, ANQICMS_PATH_PREFIXES } from './faces/anqicms/anqicms.face';
export { TransactionRunner, runTransaction, afterCommit } from './database/transaction-runner';
export { PasswordChangeUseCase } from './users/password-change.use-case';
export type { PasswordChange } from './users/password-change.use-case';
export { EmailAddressUseCase, PURPOSES_BOUND_TO_ADDRESS } from './users/email-address.use-case';
export type { EmailChange, EmailProof } from './users/email-address.use-case';
export { ZitadelErrorFilter, ZITADEL_ERROR_MAP, ZITADEL_ERROR_DETAIL_TYPE, ZITADEL_PATH_PREFIX, ZITADEL_FACE, GrpcCode } from './faces/zitadel';
export type { ZitadelErrorBody } from './faces/zitadel';
export { DomainError } from './errors/domain-error';
export { ErrorCode } from './errors/error-code';
export type { HealthIndicator } from './health/health-indicator';
export { HEALTH_CHECK_TIMEOUT_MS } from './health/health-indicator';
export type { HealthView, HealthStatus } from './health/health.controller';
export { DeliveryMonitor } from './notifications/delivery-monitor';
export type { ChannelHealth } from './notifications/delivery-monitor';
export { DependencyUnavailableError, isDependencyOutage, serviceUnavailableOf, DEFAULT_RETRY_AFTER_SECONDS } from './errors/service-unavailable';
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
export { FRESNS_ERROR_MAP, FresnsErrorFilter } from './faces/fresns/fresns-error.filter';
export { ANQICMS_ERROR_MAP, AnqiCmsErrorFilter } from './faces/anqicms/anqicms-error.filter';
export { CredentialRevocationService, ACCOUNT_RECOVERY_PURPOSES } from './auth/credential-revocation.service';
export { RecoveryService } from './recovery/recovery.service';
export type { RecoveryTarget, RecoveryLinkRequest, RecoveryMailRequest, IssuedRecoveryLink } from './recovery/recovery.service';
export { assertRecoveryLifetime, DEFAULT_RECOVERY_TOKEN_MS, MAX_RECOVERY_TOKEN_MS, MIN_RECOVERY_TOKEN_MS } from './recovery/recovery-lifetime';
export type { LifetimeReader } from './recovery/recovery-lifetime';
export { parseDuration, parseRecoveryTokenDuration } from './faces/authentik/token-duration';
export { AuthentikErrorFilter } from './faces/authentik/authentik-error.filter';
export { RecoveryPageFilter } from './recovery/recovery-page.filter';
export { authentikPathRewrite } from './faces/authentik/authentik-paths';
export { RedisThrottlerStorage } from './throttling/redis-throttler.storage';
export type { RedisScriptClient, RedisThrottlerStorageOptions } from './throttling/redis-throttler.storage';
export { PrincipalCache, PrincipalCacheOptions } from './auth/principal-cache';
export { PrincipalInvalidationService } from './auth/principal-invalidation.service';
export {
  PrincipalInvalidation,
  PrincipalInvalidationBus,
  LocalPrincipalInvalidationBus,
  RedisPrincipalInvalidationBus,
  RedisPubSubClient,
  PRINCIPAL_INVALIDATION_CHANNEL,
} from './auth/principal-invalidation-bus';
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
export {
  ConsoleSecuritySchemes,
  CONSOLE_USERS_SECURITY_SCHEMES,
  addConsoleUsersSecuritySchemes,
  ApiConsoleAuth,
  ApiAnonymousAllowed,
  ApiOptionalConsoleAuth,
} from './openapi/console-security';
export { ConsoleUsersMetrics } from './metrics/console-users-metrics';
export type { LoginFailureReason, VerificationOutcome, DeliveryResult, ScrapeTimeSource } from './metrics/console-users-metrics';
export type { MetricsOptions } from './console-users.options';
export { OperatorPasswordReset } from './users/operator-password-reset.service';
export type { OperatorPasswordResetResult } from './users/operator-password-reset.service';
