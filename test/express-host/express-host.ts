import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { LoggerService } from '@nestjs/common';
import { ManualClock } from '../../libs/console-users/src';
import { ExpressHostModule } from './express-host.module';

/** The admin password of the Express host. */
export const EXPRESS_ADMIN_PASSWORD = 'express-admin-password';

/** A running Express host on a random loopback port. */
export interface ExpressHost {
  app: NestExpressApplication;
  baseUrl: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Options of {@link startExpressHost}. */
export interface ExpressHostOptions {
  /** The first admin's password; `null` lets the library generate one. */
  adminPassword?: string | null;
  /** The host's logger (default: errors only, to the console). */
  logger?: LoggerService;
}

/**
 * Boots the Express host on a fresh SQLite file and listens on 127.0.0.1:0. It installs no
 * exception filter of its own: the library routes its paths' errors itself.
 */
export async function startExpressHost(options: ExpressHostOptions = {}): Promise<ExpressHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-users-express-'));
  const app = await NestFactory.create<NestExpressApplication>(
    ExpressHostModule.register({
      databasePath: join(dataDir, 'console.sqlite'),
      dataDir,
      adminPassword: options.adminPassword === null ? undefined : (options.adminPassword ?? EXPRESS_ADMIN_PASSWORD),
      clock: new ManualClock(new Date()),
    }),
    { logger: options.logger ?? ['error'] },
  );
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dataSource: app.get(DataSource),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
