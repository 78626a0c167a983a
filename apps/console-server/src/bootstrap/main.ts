import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, parseConfig } from '../config/app-config';
import { createApp } from './create-app';

/** Boots the server from the environment; a bad value stops it with one readable line. */
export async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('ConsoleServer').log(`console-users listening on http://${config.host}:${config.port} (public URL ${config.publicUrl})`);
}
