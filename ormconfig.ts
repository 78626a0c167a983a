// The DataSource for the TypeORM CLI (`npm run migration:run`): the server's own settings.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnvFile } from './apps/console-server/src/bootstrap/env-file';
import { parseConfig } from './apps/console-server/src/config/app-config';
import { dataSourceOptions } from './apps/console-server/src/database/data-source-options';

// The same .env as the server reads (the environment wins), so both open the same database.
loadEnvFile();

export default new DataSource({ ...dataSourceOptions(parseConfig(process.env).database), migrationsRun: false });
