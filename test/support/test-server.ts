import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppOverrides } from '../../apps/console-server/src/app.module';
import { createApp } from '../../apps/console-server/src/bootstrap/create-app';
import { AppConfig, parseConfig } from '../../apps/console-server/src/config/app-config';
import { ManualClock } from '../../libs/console-users/src/common/clock';
import type { TestDatabase } from './databases';

/** The password of the bootstrap admin in tests. */
export const ADMIN_PASSWORD = 'admin-password-for-tests';

/** A running server on a random loopback port. */
export interface TestServer {
  app: NestFastifyApplication;
  baseUrl: string;
  config: AppConfig;
  clock: ManualClock;
  /** File the server's structured log is written to. */
  logFile: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Extra environment, as the server would read it. */
  env?: Record<string, string>;
  clock?: ManualClock;
  overrides?: Partial<AppOverrides>;
  /** Log file; by default the one file of this test process. */
  logFile?: string;
}

/** The log file every server of this test process appends to, unless a test gives its own. */
const processLogFile = join(mkdtempSync(join(tmpdir(), 'console-users-log-')), 'server.log');

/** Boots the real server (Fastify, migrations, seeding) on `db` and listens on 127.0.0.1:0. */
export async function startTestServer(db: TestDatabase, options: TestServerOptions = {}): Promise<TestServer> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.config.type === 'sqlite' ? `sqlite:${db.config.path}` : db.config.url,
    PUBLIC_URL: 'http://console.example.test',
    ADMIN_PASSWORD,
    LOG_LEVEL: 'info',
    // Two cores shared by many suites: a statement or a wait for a pooled connection may take
    // seconds here without anything being down. The fault suite sets the production defaults back.
    DATABASE_CONNECT_TIMEOUT_MS: '30000',
    DATABASE_STATEMENT_TIMEOUT_MS: '30000',
    ...options.env,
  };
  const config = parseConfig(env);
  const clock = options.clock ?? new ManualClock(new Date());
  const logFile = options.logFile ?? processLogFile;
  const app = await createApp(config, { clock, logFile, ...options.overrides });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    clock,
    logFile,
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}
