import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConsoleUsersExceptionFilter, ManualClock } from '../../libs/console-users/src';
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

/** Boots the Express host on a fresh SQLite file and listens on 127.0.0.1:0. */
export async function startExpressHost(): Promise<ExpressHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-users-express-'));
  const app = await NestFactory.create<NestExpressApplication>(
    ExpressHostModule.register({
      databasePath: join(dataDir, 'console.sqlite'),
      dataDir,
      adminPassword: EXPRESS_ADMIN_PASSWORD,
      clock: new ManualClock(new Date()),
    }),
    { logger: ['error'] },
  );
  // Errors outside the library's controllers (unknown routes, body parsing) in each face's format.
  app.useGlobalFilters(app.get(ConsoleUsersExceptionFilter));
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
