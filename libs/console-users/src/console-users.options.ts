import type { FaceName } from './faces/console-face';
import { join } from 'node:path';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Clock } from './common/clock';
import type { MailTransport } from './notifications/mail-transport';
import type { HealthIndicator } from './health/health-indicator';
import type { SmsSender } from './notifications/sms-sender';
import type { TrustProxySetting } from './http/client-ip';
import type { PasswordHasher } from './users/password-hasher';
import {
  DEFAULT_PASSWORD_HASHING_MAX_QUEUED,
  defaultPasswordHashingConcurrency,
  defaultPasswordHashingCpuShare,
  PasswordHashingLimits,
} from './users/bounded-password-hasher';
import type { PrincipalCacheOptions } from './auth/principal-cache';
import type { PrincipalInvalidationBus } from './auth/principal-invalidation-bus';

/** The in-memory cache of authenticated principals, and how instances tell each other to drop entries. */
export interface PrincipalCacheSettings extends PrincipalCacheOptions {
  /**
   * Carries invalidations (password, enabled state, roles, tokens, logout) to the other instances
   * on the same database; default: none (one instance). Use {@link RedisPrincipalInvalidationBus}.
   */
  invalidationBus?: PrincipalInvalidationBus;
}

/** The first super-role account, created when the database holds no user yet. */
export interface BootstrapAdminOptions {
  username: string;
  email: string;
  /**
   * When absent, a strong password is generated and handed to
   * {@link ConsoleUsersModuleOptions.onAdminCreated}, or printed once through the host's logger.
   */
  password?: string;
}

/** Session lifetime settings. */
export interface SessionOptions {
  /** Idle timeout in milliseconds (default 30 min, Spring's default that Halo inherits). */
  idleTimeoutMs?: number;
  /** Absolute lifetime in milliseconds (default 12 h). */
  absoluteTimeoutMs?: number;
  /**
   * Lifetime of a "remember me" login (Halo's `remember-me` field) in milliseconds (default 30
   * days). Such a session has a persistent cookie and no idle timeout.
   */
  rememberMeTimeoutMs?: number;
}

/** Login throttling settings (defaults as documented in the README). */
export interface LoginLimitOptions {
  /**
   * Failed password checks per (account, client) per window before 429 (default 10). A client is
   * a browser holding the account's device cookie, else the client address.
   */
  accountFailures?: number;
  /** Window for the failures of one (account, client) in ms (default 15 min). */
  accountWindowMs?: number;
  /**
   * Failed password checks per account per hour from clients without the account's device
   * cookie, all together (default 100, ASVS' ceiling); growing waits between attempts start at a
   * fifth of it.
   */
  accountFailuresPerHour?: number;
  /** Lifetime of the device cookie a browser receives at login (default 180 days). */
  deviceCookieMaxAgeMs?: number;
  /** Login attempts per client IP per minute (default 60); same as `throttling.login.perMinute`. */
  ipAttempts?: number;
}

/**
 * The bound on password hashing (argon2id at login, password changes, sign-ups). It applies to the
 * hasher in use, the default one or {@link ConsoleUsersModuleOptions.passwordHasher}.
 */
export interface PasswordHashingOptions {
  /**
   * Hashes and checks running at once (default: 1 on a machine with at most 2 cores, else one
   * less than the cores, at most 3). Each argon2id run takes a libuv thread pool thread; above
   * `UV_THREADPOOL_SIZE - 1` (3 by default) raise that too.
   */
  concurrency?: number;
  /**
   * Hashes and checks waiting for a turn (default 64); one more is refused at once: a 503 with
   * `Retry-After: 1` in the face's format. 0: refuse whenever every slot is busy.
   */
  maxQueued?: number;
  /**
   * The share of each slot's time spent hashing, above 0 and at most 1 (default: 0.5 on a machine
   * with at most 2 cores, else 1). Below 1 a slot rests after each hash, as long as the share says
   * (0.5: as long again), before the next waiting one starts: logins get slower under a burst, every
   * other request keeps its speed. The caller of a finished hash is answered at once.
   */
  cpuShare?: number;
}

/** Limits of the verification engine (defaults as documented in the README). */
export interface VerificationLimitOptions {
  /** Lifetime of an email code (default 10 min). */
  emailCodeTtlMs?: number;
  /** Lifetime of an SMS code (default 5 min). */
  smsCodeTtlMs?: number;
  /** Wrong tries before a code is burned (default 5). */
  maxAttempts?: number;
  /** Minimum gap between two sends to one recipient for one purpose (default 60 s). */
  resendCooldownMs?: number;
  /** Emails per recipient per hour, per purpose class (sign-up, sign-in, verification, recovery; default 5). */
  emailsPerHour?: number;
  /** Emails per recipient per day, per purpose class (default 10). */
  emailsPerDay?: number;
  /** SMS per number per hour, per purpose class (default 3). */
  smsPerHour?: number;
  /** SMS per number per day, per purpose class (default 10). */
  smsPerDay?: number;
  /** Failed verifications per account per hour before 429 (default 20). */
  failedVerifiesPerHour?: number;
}

/** Limits of admin recovery (defaults as documented in the README). */
export interface RecoveryLimitOptions {
  /** Minimum gap between two recovery mails to one user (default 60 s). */
  mailCooldownMs?: number;
  /** Recovery mails per user per day (default 10). */
  mailsPerDay?: number;
  /** Recovery links and mails one admin may issue per hour (default 60). */
  issuesPerAdminPerHour?: number;
  /** How long the set-password form stays usable after the consent click (default 15 min). */
  formTtlMs?: number;
}

/** Per-IP limits of one route group; `perHour` absent means no hourly limit. */
export interface IpLimit {
  perMinute: number;
  perHour?: number;
}

/** Per-IP limits for login, send and verify routes (defaults as documented in the README). */
export interface ThrottlingOptions {
  login?: IpLimit;
  send?: IpLimit;
  verify?: IpLimit;
  /** Replaces the database storage (e.g. Redis shared by several instances). */
  storage?: ThrottlerStorage;
}

/** Mail delivery settings. */
export interface MailOptions {
  /** Sender, e.g. `Console <no-reply@example.com>`. */
  from?: string;
  /** `smtp://…`/`smtps://…` URL or nodemailer transport options; absent → the dev mailbox. */
  transport?: string | Record<string, unknown>;
  /** A directory whose templates override the library's (same relative paths). */
  templatesDir?: string;
  /** Where the dev mailbox writes `.eml` files (default `<dataDir>/mail`). */
  devMailboxDir?: string;
}

/** Outbox worker settings. */
export interface OutboxOptions {
  /** Run the delivery worker in this process (default true). */
  enabled?: boolean;
  /** Poll interval in ms (default 500). */
  pollIntervalMs?: number;
  /** Delivery attempts before a row is `failed` (default 6: the first try and 5 retries). */
  maxAttempts?: number;
  /** First retry delay; doubles each time (default 30 s). */
  backoffBaseMs?: number;
  /** How long a claimed row stays leased to one worker (default 60 s). */
  leaseMs?: number;
  /** Most messages in flight at once (default 20); more are claimed as soon as half are done. */
  batchSize?: number;
  /**
   * How often the worker logs a summary (sent, retried, failed) while deliveries fail or were
   * retried; nothing is logged when all went well (default 60 s).
   */
  summaryIntervalMs?: number;
}

/** Prometheus metrics (see {@link ConsoleUsersMetrics}). */
export interface MetricsOptions {
  /**
   * Serve `GET /actuator/prometheus` (default false: 404). When on, only callers holding the
   * `metrics` get permission (`role-template-view-metrics`, or super-role) may read it.
   */
  endpoint?: boolean;
}

/** Settings of the ZITADEL face (`/v2/users/…`). */
export interface ZitadelFaceOptions {
  /**
   * What `details.resourceOwner` says and what `{{.OrgID}}` renders to: we have one
   * organisation, so one fixed id (default `console`).
   */
  resourceOwner?: string;
}

/**
 * Public (anonymous) code and link endpoints: the Fresns and AnqiCMS faces.
 */
export interface PublicCodeOptions {
  /**
   * Answer with the original systems' existence errors (Fresns 34205/34206/34301, AnqiCMS
   * "User does not exist") instead of identical answers for known and unknown accounts.
   * Default false: turning it on lets anybody test whether an address has an account.
   */
  existenceErrors?: boolean;
  /** Channels public codes may use (default both); a disabled one answers "no provider". */
  channels?: ('email' | 'sms')[];
  /** Lifetime of mailed links (AnqiCMS verify and reset links; default 30 min, as AnqiCMS' code). */
  linkTtlMs?: number;
}

/**
 * Options of {@link ConsoleUsersModule}. Everything has a working default except the three a
 * host must decide: where links point, the secret key, and where files live.
 */
export interface ConsoleUsersModuleOptions {
  /** Base URL for every link the library builds; never taken from request headers. */
  publicUrl: string;
  /** Secret key material (≥ 32 bytes) for code HMACs and payload encryption. */
  appSecret: string | Buffer;
  /** Directory for avatars and other files. */
  dataDir: string;
  /** First admin; `false` disables bootstrapping. Default: `admin` / generated / `admin@localhost`. */
  bootstrapAdmin?: BootstrapAdminOptions | false;
  /**
   * Called once, when the bootstrap admin has been created, with its username and the generated
   * password (`undefined` when `bootstrapAdmin.password` was given). Without this callback a
   * generated password is printed once through the host's logger (context `ConsoleUsersBootstrap`),
   * so the first login is always possible.
   */
  onAdminCreated?: (username: string, generatedPassword: string | undefined) => void;
  /** Accept HTTP Basic credentials (default false, as in Halo ≥ 2.20). */
  basicAuth?: boolean;
  /** Trusted proxies for the client IP (default: none). */
  trustProxy?: TrustProxySetting;
  session?: SessionOptions;
  loginLimits?: LoginLimitOptions;
  /** Replaces the clock (tests move time with it). */
  clock?: Clock;
  /** Replaces the argon2id password hasher; {@link passwordHashing} bounds it as it bounds ours. */
  passwordHasher?: PasswordHasher;
  passwordHashing?: PasswordHashingOptions;
  verification?: VerificationLimitOptions;
  recovery?: RecoveryLimitOptions;
  throttling?: ThrottlingOptions;
  mail?: MailOptions;
  outbox?: OutboxOptions;
  /** Replaces the mail transport (default: SMTP from `mail.transport`, else the dev mailbox). */
  mailTransport?: MailTransport;
  /** More components of `/actuator/health` and its readiness group (the server adds Redis). */
  healthIndicators?: HealthIndicator[];
  /** Replaces the SMS sender (default: the dev mailbox). */
  smsSender?: SmsSender;
  publicCodes?: PublicCodeOptions;
  zitadel?: ZitadelFaceOptions;
  metrics?: MetricsOptions;
  /**
   * Display names a user may not give itself (case-insensitive), Halo's `protectedUsernames`
   * setting. Default: Halo's list.
   */
  protectedDisplayNames?: string[];
  principalCache?: PrincipalCacheSettings;
}

/** Halo's default `user.protectedUsernames`. */
export const DEFAULT_PROTECTED_DISPLAY_NAMES = [
  'admin',
  'administrator',
  'root',
  'system',
  'superuser',
  'guest',
  'test',
  'demo',
  'user',
  'backup',
  'ftp',
  'www',
  'manager',
  'support',
  'service',
  'api',
  '超级管理员',
  '管理员',
];

/** Extra, non-option settings of the module registration. */
export interface ConsoleUsersModuleExtras {
  /** Name of the host's TypeORM DataSource (default: the unnamed one). */
  dataSourceName?: string;
  /**
   * The wire faces to mount (`halo`, `authentik`, `zitadel`, `fresns`, `anqicms`); all when
   * unset. Login, avatars, health and the recovery pages are the core's and always mounted.
   */
  faces?: FaceName[];
}

/** Options with every default filled in; what the library's services read. */
export interface ResolvedConsoleUsersOptions {
  publicUrl: string;
  secureCookies: boolean;
  appSecret: Buffer;
  dataDir: string;
  bootstrapAdmin: BootstrapAdminOptions | false;
  /** The host's callback; absent → a generated password is printed through the logger. */
  onAdminCreated?: (username: string, generatedPassword: string | undefined) => void;
  basicAuth: boolean;
  trustProxy: TrustProxySetting;
  session: Required<SessionOptions>;
  loginLimits: Required<LoginLimitOptions>;
  passwordHashing: PasswordHashingLimits;
  verification: Required<VerificationLimitOptions>;
  recovery: Required<RecoveryLimitOptions>;
  throttling: { login: IpLimit; send: IpLimit; verify: IpLimit };
  mail: { from: string; transport?: string | Record<string, unknown>; templatesDir?: string; devMailboxDir: string };
  outbox: Required<OutboxOptions>;
  healthIndicators: HealthIndicator[];
  /** A host-provided mail transport is in use (health then reports mail). */
  customMailTransport: boolean;
  publicCodes: Required<PublicCodeOptions>;
  zitadel: Required<ZitadelFaceOptions>;
  metrics: Required<MetricsOptions>;
  /** Lower-cased and trimmed. */
  protectedDisplayNames: string[];
}

/** Injection token of the {@link ResolvedConsoleUsersOptions}. */
export const CONSOLE_USERS_OPTIONS = Symbol('console-users:resolved-options');

/** Fills in defaults and checks the values a host passed. */
export function resolveOptions(options: ConsoleUsersModuleOptions): ResolvedConsoleUsersOptions {
  const publicUrl = new URL(options.publicUrl);
  const secret = typeof options.appSecret === 'string' ? Buffer.from(options.appSecret, 'utf8') : options.appSecret;
  if (secret.length < 32) {
    throw new Error('console-users: appSecret must be at least 32 bytes');
  }
  const resourceOwner = options.zitadel?.resourceOwner ?? 'console';
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(resourceOwner)) {
    throw new Error('console-users: zitadel.resourceOwner must be 1-200 letters, digits, ".", "_" or "-"');
  }
  return {
    publicUrl: publicUrl.toString().replace(/\/+$/, ''),
    secureCookies: publicUrl.protocol === 'https:',
    appSecret: secret,
    dataDir: options.dataDir,
    bootstrapAdmin:
      options.bootstrapAdmin === undefined
        ? { username: 'admin', email: 'admin@localhost' }
        : options.bootstrapAdmin,
    onAdminCreated: options.onAdminCreated,
    basicAuth: options.basicAuth ?? false,
    trustProxy: options.trustProxy ?? false,
    session: {
      idleTimeoutMs: options.session?.idleTimeoutMs ?? 30 * 60_000,
      absoluteTimeoutMs: options.session?.absoluteTimeoutMs ?? 12 * 3_600_000,
      rememberMeTimeoutMs: options.session?.rememberMeTimeoutMs ?? 30 * 86_400_000,
    },
    loginLimits: {
      accountFailures: options.loginLimits?.accountFailures ?? 10,
      accountWindowMs: options.loginLimits?.accountWindowMs ?? 15 * 60_000,
      accountFailuresPerHour: options.loginLimits?.accountFailuresPerHour ?? 100,
      deviceCookieMaxAgeMs: options.loginLimits?.deviceCookieMaxAgeMs ?? 180 * 86_400_000,
      ipAttempts: options.loginLimits?.ipAttempts ?? 60,
    },
    passwordHashing: resolvePasswordHashing(options.passwordHashing),
    verification: {
      emailCodeTtlMs: options.verification?.emailCodeTtlMs ?? 10 * 60_000,
      smsCodeTtlMs: options.verification?.smsCodeTtlMs ?? 5 * 60_000,
      maxAttempts: options.verification?.maxAttempts ?? 5,
      resendCooldownMs: options.verification?.resendCooldownMs ?? 60_000,
      emailsPerHour: options.verification?.emailsPerHour ?? 5,
      emailsPerDay: options.verification?.emailsPerDay ?? 10,
      smsPerHour: options.verification?.smsPerHour ?? 3,
      smsPerDay: options.verification?.smsPerDay ?? 10,
      failedVerifiesPerHour: options.verification?.failedVerifiesPerHour ?? 20,
    },
    recovery: {
      mailCooldownMs: options.recovery?.mailCooldownMs ?? 60_000,
      mailsPerDay: options.recovery?.mailsPerDay ?? 10,
      issuesPerAdminPerHour: options.recovery?.issuesPerAdminPerHour ?? 60,
      formTtlMs: options.recovery?.formTtlMs ?? 15 * 60_000,
    },
    throttling: {
      login: options.throttling?.login ?? { perMinute: options.loginLimits?.ipAttempts ?? 60 },
      send: options.throttling?.send ?? { perMinute: 10, perHour: 50 },
      verify: options.throttling?.verify ?? { perMinute: 30 },
    },
    mail: {
      from: options.mail?.from ?? 'Console <no-reply@localhost>',
      transport: options.mail?.transport,
      templatesDir: options.mail?.templatesDir,
      devMailboxDir: options.mail?.devMailboxDir ?? join(options.dataDir, 'mail'),
    },
    outbox: {
      enabled: options.outbox?.enabled ?? true,
      pollIntervalMs: options.outbox?.pollIntervalMs ?? 500,
      maxAttempts: options.outbox?.maxAttempts ?? 6,
      backoffBaseMs: options.outbox?.backoffBaseMs ?? 30_000,
      leaseMs: options.outbox?.leaseMs ?? 60_000,
      batchSize: options.outbox?.batchSize ?? 20,
      summaryIntervalMs: options.outbox?.summaryIntervalMs ?? 60_000,
    },
    healthIndicators: options.healthIndicators ?? [],
    customMailTransport: options.mailTransport !== undefined,
    publicCodes: {
      existenceErrors: options.publicCodes?.existenceErrors ?? false,
      channels: options.publicCodes?.channels ?? ['email', 'sms'],
      linkTtlMs: options.publicCodes?.linkTtlMs ?? 30 * 60_000,
    },
    zitadel: { resourceOwner },
    metrics: { endpoint: options.metrics?.endpoint ?? false },
    protectedDisplayNames: (options.protectedDisplayNames ?? DEFAULT_PROTECTED_DISPLAY_NAMES).map((n) => n.trim().toLowerCase()),
  };
}

/** Bounds of the settings below: a bad value stops the boot instead of disabling the bound. */
const MAX_HASHING_CONCURRENCY = 256;
const MAX_HASHING_QUEUE = 100_000;

function resolvePasswordHashing(options: PasswordHashingOptions | undefined): PasswordHashingLimits {
  const concurrency = options?.concurrency ?? defaultPasswordHashingConcurrency();
  const maxQueued = options?.maxQueued ?? DEFAULT_PASSWORD_HASHING_MAX_QUEUED;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_HASHING_CONCURRENCY) {
    throw new Error(`console-users: passwordHashing.concurrency must be a whole number from 1 to ${MAX_HASHING_CONCURRENCY} (got ${String(concurrency)})`);
  }
  if (!Number.isInteger(maxQueued) || maxQueued < 0 || maxQueued > MAX_HASHING_QUEUE) {
    throw new Error(`console-users: passwordHashing.maxQueued must be a whole number from 0 to ${MAX_HASHING_QUEUE} (got ${String(maxQueued)})`);
  }
  const cpuShare = options?.cpuShare ?? defaultPasswordHashingCpuShare();
  if (typeof cpuShare !== 'number' || !(cpuShare > 0 && cpuShare <= 1)) {
    throw new Error(`console-users: passwordHashing.cpuShare must be a number above 0 and at most 1 (got ${String(cpuShare)})`);
  }
  return { concurrency, maxQueued, cpuShare };
}
