import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  CONSOLE_USERS_DATA_SOURCE,
  CONSOLE_USERS_ENTITIES,
  CONSOLE_USERS_MIGRATIONS,
  CONSOLE_USERS_OPTIONS,
  ConsoleUsersModule,
  ConsoleUsersModuleOptions,
  ManualClock,
  ResolvedConsoleUsersOptions,
} from '../../libs/console-users/src';

const onAdminCreated = (): void => undefined;

function options(dataDir: string): ConsoleUsersModuleOptions {
  return {
    publicUrl: 'https://console.example.test/',
    appSecret: 'a-module-test-secret-of-at-least-32-bytes',
    dataDir,
    bootstrapAdmin: { username: 'root', email: 'root@example.test', password: 'root-password' },
    onAdminCreated,
    basicAuth: true,
    trustProxy: ['10.0.0.0/8'],
    session: { idleTimeoutMs: 60_000 },
    loginLimits: { accountFailures: 3 },
    clock: new ManualClock(new Date('2026-01-01T00:00:00Z')),
  };
}

function sqlite(name?: string) {
  return TypeOrmModule.forRoot({
    name,
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [...CONSOLE_USERS_ENTITIES],
    migrations: [...CONSOLE_USERS_MIGRATIONS],
    migrationsRun: true,
  });
}

describe('ConsoleUsersModule registration', () => {
  let dataDir: string;
  const contexts: INestApplicationContext[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'console-users-module-'));
  });

  afterAll(async () => {
    for (const context of contexts) {
      await context.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function resolvedWith(module: ReturnType<typeof ConsoleUsersModule.forRoot>, name?: string) {
    const ref = await Test.createTestingModule({ imports: [sqlite(name), module] }).compile();
    contexts.push(ref);
    return ref;
  }

  it('forRoot(options) and forRootAsync({useFactory}) resolve to the same options', async () => {
    const sync = await resolvedWith(ConsoleUsersModule.forRoot(options(dataDir)));
    const shared = options(dataDir);
    const asyncRef = await resolvedWith(ConsoleUsersModule.forRootAsync({ useFactory: async () => shared }));
    const fromSync = sync.get<ResolvedConsoleUsersOptions>(CONSOLE_USERS_OPTIONS);
    const fromAsync = asyncRef.get<ResolvedConsoleUsersOptions>(CONSOLE_USERS_OPTIONS);
    expect(fromAsync).toEqual(fromSync);
    // The defaults filled in, so the comparison above covers more than what was passed.
    expect(fromSync.publicUrl).toBe('https://console.example.test');
    expect(fromSync.secureCookies).toBe(true);
    expect(fromSync.session).toEqual({ idleTimeoutMs: 60_000, absoluteTimeoutMs: 12 * 3_600_000, rememberMeTimeoutMs: 30 * 86_400_000 });
    expect(fromSync.loginLimits).toEqual({ accountFailures: 3, accountWindowMs: 15 * 60_000, accountFailuresPerHour: 100, deviceCookieMaxAgeMs: 180 * 86_400_000, ipAttempts: 60 });
    expect(fromSync.throttling.login).toEqual({ perMinute: 60 });
  });

  it('forRootAsync injects what the factory asks for', async () => {
    const TOKEN = 'host-settings';
    const ref = await Test.createTestingModule({
      imports: [
        sqlite(),
        ConsoleUsersModule.forRootAsync({
          imports: [],
          inject: [TOKEN],
          useFactory: (publicUrl: string) => ({ ...options(dataDir), publicUrl }),
          provideInjectionTokensFrom: [{ provide: TOKEN, useValue: 'http://injected.example.test' }],
        }),
      ],
    }).compile();
    contexts.push(ref);
    const resolved = ref.get<ResolvedConsoleUsersOptions>(CONSOLE_USERS_OPTIONS);
    expect(resolved.publicUrl).toBe('http://injected.example.test');
    expect(resolved.secureCookies).toBe(false);
  });

  it('refuses an appSecret shorter than 32 bytes', async () => {
    await expect(Test.createTestingModule({ imports: [sqlite(), ConsoleUsersModule.forRoot({ ...options(dataDir), appSecret: 'short' })] }).compile()).rejects.toThrow(/appSecret must be at least 32 bytes/);
  });

  it('uses a named DataSource given as the dataSourceName extra', async () => {
    const app = await Test.createTestingModule({
      imports: [sqlite(), sqlite('users-db'), ConsoleUsersModule.forRoot({ ...options(dataDir), dataSourceName: 'users-db' })],
    }).compile();
    contexts.push(app);
    const named = app.get<DataSource>(getDataSourceToken('users-db'));
    const unnamed = app.get<DataSource>(getDataSourceToken());
    expect(app.get(CONSOLE_USERS_DATA_SOURCE)).toBe(named);
    expect(named).not.toBe(unnamed);

    await app.init(); // seeds roles, system users and the admin
    const inNamed: { count: number | string }[] = await named.query(`SELECT COUNT(*) AS count FROM users WHERE name = 'root'`);
    const inUnnamed: { count: number | string }[] = await unnamed.query(`SELECT COUNT(*) AS count FROM users WHERE name = 'root'`);
    expect(Number(inNamed[0]!.count)).toBe(1);
    expect(Number(inUnnamed[0]!.count)).toBe(0);
    // The extra is not an option: it never reaches the resolved options.
    expect('dataSourceName' in app.get<ResolvedConsoleUsersOptions>(CONSOLE_USERS_OPTIONS)).toBe(false);
  });
});
