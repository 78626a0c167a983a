import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  CONSOLE_USERS_ENTITIES,
  CONSOLE_USERS_MIGRATIONS,
  ConsoleUsersModule,
  ManualClock,
} from '../../libs/console-users/src';
import { HostJwtStrategy, HostRoutesController } from './host-routes';

/** What the Express host needs to know; everything else is the library's default. */
export interface ExpressHostSettings {
  /** SQLite file of this host. */
  databasePath: string;
  dataDir: string;
  /** Absent: the library generates one and, without `onAdminCreated`, logs it once. */
  adminPassword?: string;
  clock: ManualClock;
}

/**
 * A second, minimal host of the library: Express instead of Fastify, its own DataSource, and
 * nothing of the console server. It proves the module makes no assumption about its host.
 */
@Module({})
export class ExpressHostModule {
  static register(settings: ExpressHostSettings): DynamicModule {
    return {
      module: ExpressHostModule,
      controllers: [HostRoutesController],
      providers: [HostJwtStrategy],
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: settings.databasePath,
          entities: [...CONSOLE_USERS_ENTITIES],
          migrations: [...CONSOLE_USERS_MIGRATIONS],
          migrationsRun: true,
        }),
        ConsoleUsersModule.forRootAsync({
          useFactory: () => ({
            publicUrl: 'http://express-host.example.test',
            appSecret: 'express-host-secret-that-is-long-enough-for-hmac',
            dataDir: settings.dataDir,
            bootstrapAdmin: { username: 'admin', email: 'admin@express-host.test', password: settings.adminPassword },
            clock: settings.clock,
          }),
        }),
      ],
    };
  }
}
