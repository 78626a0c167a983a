// Child process of the benchmark: the real server (Fastify, migrations, library) on a loopback
// port, seeding on request over IPC so the load generator never shares its event loop.
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/console-server/src/bootstrap/create-app';
import { parseConfig } from '../../apps/console-server/src/config/app-config';
import { seedUsers } from './seed-data';

type Command = { seed: [number, number] } | { stop: true };

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const app = await createApp(config, { logFile: join(config.dataDir, 'server.log'), onAdminCreated: () => undefined });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const db = app.get(DataSource);
  process.on('message', (command: Command) => {
    void (async () => {
      try {
        if ('seed' in command) {
          await seedUsers(db, command.seed[0], command.seed[1]);
          process.send!({ seeded: command.seed[1] });
        } else {
          await app.close();
          process.exit(0);
        }
      } catch (error) {
        process.send!({ error: (error as Error).message });
      }
    })();
  });
  process.send!({ port });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
