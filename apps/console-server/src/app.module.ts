import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { loadAppSecret } from './bootstrap/app-secret';
import type { AppConfig } from './config/app-config';
import {
  bindSqliteNumbersAsParameters,
  Clock,
  ConsoleUsersModule,
  FaceName,
  HttpSmsSender,
  OutboxOptions,
  PasswordHashingOptions,
  PrincipalCacheSettings,
  PublicCodeOptions,
  RedisPrincipalInvalidationBus,
  RedisThrottlerStorage,
  PasswordHasher,
  SystemClock,
  ThrottlingOptions,
  VerificationLimitOptions,
} from './console-users';
import { CircuitBreaker } from './database/circuit-breaker';
import { dataSourceOptions } from './database/data-source-options';
import { loggingCircuitListener } from './database/guarded-pg';
import { REDIS_CONNECTION, RedisConnection, RedisConnectionModule } from './redis/redis-connection';

/** How long the database circuit stays open before one request probes it again. */
const DATABASE_CIRCUIT_OPEN_MS = 2_000;
/** A probe that has not answered after this long lets another one try. */
const DATABASE_PROBE_TIMEOUT_MS = 5_000;

/** Things tests (and embedding programs) may replace without touching the environment. */
export interface AppOverrides {
  clock?: Clock;
  /** Receives the generated admin password instead of stdout. */
  onAdminCreated?: (username: string, password: string | undefined) => void;
  /** Write logs to this file instead of stdout. */
  logFile?: string;
  /** Outbox worker settings (tests shorten the backoff). */
  outbox?: OutboxOptions;
  /** A directory of mail templates overriding the library's (same relative paths). */
  mailTemplatesDir?: string;
  /** Public code settings on top of the environment's (tests switch channels off). */
  publicCodes?: PublicCodeOptions;
  /** Engine limits (tests raise one cap to reach another). */
  verification?: VerificationLimitOptions;
  /** The library's faces to mount (all by default). */
  faces?: FaceName[];
  /** Per-IP limits (benchmarks and tests that are not about them raise them). */
  throttling?: Omit<ThrottlingOptions, 'storage'>;
  /** `false`: never create the first administrator (commands that only work on existing users). */
  bootstrapAdmin?: false;
  /** Principal cache settings (tests lengthen the lifetime to show that invalidation, not expiry, drops entries). */
  principalCache?: Omit<PrincipalCacheSettings, 'invalidationBus'>;
  /** Password hashing bounds on top of the environment's. */
  passwordHashing?: PasswordHashingOptions;
  /** Replaces the argon2id hasher (still behind the hashing bounds). */
  passwordHasher?: PasswordHasher;
}

/** The server: the DataSource, and the console-users library as its first host. */
@Module({})
export class AppModule {
  static register(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // main() has checked DATABASE_URL before the boot: no ten "Retrying" lines here.
          useFactory: () => ({ ...dataSourceOptions(config.database, databaseBreaker()), retryAttempts: 0 }),
          // SQLite: bind numbers instead of inlining them, so statements are prepared once.
          dataSourceFactory: async (options) => {
            if (config.database.type === 'postgres' && config.database.pool) {
              // A migration may run far longer than a request's statement_timeout: run them first
              // on a connection without the request timeouts, then open the guarded pool.
              const migrator = new DataSource({ ...dataSourceOptions({ type: 'postgres', url: config.database.url }), migrationsRun: true });
              await migrator.initialize();
              await migrator.destroy();
              options = { ...options!, migrationsRun: false };
            }
            return bindSqliteNumbersAsParameters(new DataSource(options!)).initialize();
          },
        }),
        ConsoleUsersModule.forRootAsync({
          faces: overrides.faces,
          imports: [RedisConnectionModule.register(config.redisUrl)],
          inject: [REDIS_CONNECTION],
          useFactory: (redis: RedisConnection) => ({
            publicUrl: config.publicUrl,
            appSecret: loadAppSecret(config.appSecret, config.dataDir),
            dataDir: config.dataDir,
            bootstrapAdmin: overrides.bootstrapAdmin ?? config.admin,
            onAdminCreated: overrides.onAdminCreated ?? printAdminPassword,
            trustProxy: config.trustProxy,
            basicAuth: config.basicAuth,
            session: { rememberMeTimeoutMs: config.rememberMeDays * 86_400_000 },
            passwordHashing: { ...config.passwordHashing, ...overrides.passwordHashing },
            passwordHasher: overrides.passwordHasher,
            clock: overrides.clock,
            mail: { from: config.mailFrom, transport: config.smtpUrl, templatesDir: overrides.mailTemplatesDir },
            outbox: overrides.outbox,
            throttling: {
              ...overrides.throttling,
              // Per-IP limits shared by every instance through Redis when REDIS_URL is set; else the database.
              storage: redis.client ? new RedisThrottlerStorage(redis.client, { clock: overrides.clock ?? new SystemClock() }) : undefined,
            },
            // SMS_WEBHOOK_URL set → a real provider; unset → the library's dev mailbox.
            smsSender: config.smsWebhookUrl ? new HttpSmsSender(config.smsWebhookUrl) : undefined,
            publicCodes: { existenceErrors: config.publicExistenceErrors, ...overrides.publicCodes },
            verification: overrides.verification,
            // Readiness includes Redis when it holds the limits: without it nobody can log in here.
            healthIndicators: redis.client ? [{ name: 'redis', check: async () => void (await redis.client!.ping()) }] : [],
            metrics: { endpoint: config.metrics.endpoint },
            principalCache: {
              ...overrides.principalCache,
              // Logouts, revocations and role changes reach the other instances through Redis when REDIS_URL is set.
              invalidationBus: redis.client ? new RedisPrincipalInvalidationBus(redis.client, redis.subscriber!) : undefined,
            },
          }),
        }),
      ],
    };
  }
}

/**
 * The database's circuit breaker: after a failure that means "unreachable", checkouts are refused
 * for DATABASE_CIRCUIT_OPEN_MS (503 with Retry-After at once), then one request probes.
 */
function databaseBreaker(): CircuitBreaker {
  return new CircuitBreaker('database', DATABASE_CIRCUIT_OPEN_MS, DATABASE_PROBE_TIMEOUT_MS, loggingCircuitListener());
}

/** Prints the generated admin password once, to the console only (never to the log). */
function printAdminPassword(username: string, password: string | undefined): void {
  if (password === undefined) {
    return;
  }
  process.stdout.write(
    [
      '',
      '==================================================================',
      ` First administrator created: ${username}`,
      ` Password (shown only this once): ${password}`,
      '==================================================================',
      '',
    ].join('\n') + '\n',
  );
}
