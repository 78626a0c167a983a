import type { Clock } from './common/clock';
import type { TrustProxySetting } from './http/client-ip';
import type { PasswordHasher } from './users/password-hasher';

/** The first super-role account, created when the database holds no user yet. */
export interface BootstrapAdminOptions {
  username: string;
  email: string;
  /** When absent, a strong password is generated and handed to {@link ConsoleUsersModuleOptions.onAdminCreated}. */
  password?: string;
}

/** Session lifetime settings. */
export interface SessionOptions {
  /** Idle timeout in milliseconds (default 30 min, Spring's default that Halo inherits). */
  idleTimeoutMs?: number;
  /** Absolute lifetime in milliseconds (default 12 h). */
  absoluteTimeoutMs?: number;
}

/** Login throttling settings (DESIGN.md defaults). */
export interface LoginLimitOptions {
  /** Failed logins per account per window before 429 (default 10). */
  accountFailures?: number;
  /** Window for account failures in ms (default 15 min). */
  accountWindowMs?: number;
  /** Login attempts per client IP per window (default 60). */
  ipAttempts?: number;
  /** Window for IP attempts in ms (default 1 min). */
  ipWindowMs?: number;
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
  /** Called once when the bootstrap admin is created with a generated password. */
  onAdminCreated?: (username: string, generatedPassword: string | undefined) => void;
  /** Accept HTTP Basic credentials (default false, as in Halo ≥ 2.20). */
  basicAuth?: boolean;
  /** Trusted proxies for the client IP (default: none). */
  trustProxy?: TrustProxySetting;
  session?: SessionOptions;
  loginLimits?: LoginLimitOptions;
  /** Replaces the clock (tests move time with it). */
  clock?: Clock;
  /** Replaces the argon2id password hasher. */
  passwordHasher?: PasswordHasher;
  /**
   * Display names a user may not give itself (case-insensitive), Halo's `protectedUsernames`
   * setting. Default: Halo's list.
   */
  protectedDisplayNames?: string[];
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
}

/** Options with every default filled in; what the library's services read. */
export interface ResolvedConsoleUsersOptions {
  publicUrl: string;
  secureCookies: boolean;
  appSecret: Buffer;
  dataDir: string;
  bootstrapAdmin: BootstrapAdminOptions | false;
  onAdminCreated: (username: string, generatedPassword: string | undefined) => void;
  basicAuth: boolean;
  trustProxy: TrustProxySetting;
  session: Required<SessionOptions>;
  loginLimits: Required<LoginLimitOptions>;
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
  return {
    publicUrl: publicUrl.toString().replace(/\/+$/, ''),
    secureCookies: publicUrl.protocol === 'https:',
    appSecret: secret,
    dataDir: options.dataDir,
    bootstrapAdmin:
      options.bootstrapAdmin === undefined
        ? { username: 'admin', email: 'admin@localhost' }
        : options.bootstrapAdmin,
    onAdminCreated: options.onAdminCreated ?? (() => undefined),
    basicAuth: options.basicAuth ?? false,
    trustProxy: options.trustProxy ?? false,
    session: {
      idleTimeoutMs: options.session?.idleTimeoutMs ?? 30 * 60_000,
      absoluteTimeoutMs: options.session?.absoluteTimeoutMs ?? 12 * 3_600_000,
    },
    loginLimits: {
      accountFailures: options.loginLimits?.accountFailures ?? 10,
      accountWindowMs: options.loginLimits?.accountWindowMs ?? 15 * 60_000,
      ipAttempts: options.loginLimits?.ipAttempts ?? 60,
      ipWindowMs: options.loginLimits?.ipWindowMs ?? 60_000,
    },
    protectedDisplayNames: (options.protectedDisplayNames ?? DEFAULT_PROTECTED_DISPLAY_NAMES).map((n) => n.trim().toLowerCase()),
  };
}
