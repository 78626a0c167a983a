// Child process of the benchmark: the real server (Fastify, migrations, library) on a loopback
// port, in a process of its own so the load generator never shares its event loop. Users are
// seeded by another child (seed.ts), so the server's memory is what serving them costs.
import 'reflect-metadata';
import { createApp } from '../../apps/console-server/src/bootstrap/create-app';
import { parseConfig } from '../../apps/console-server/src/config/app-config';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  // Logs to stdout as `npm start` does; the parent points it at a file.
  const app = await createApp(config, { onAdminCreated: () => undefined });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.once('message', () => {
    // The only message is "stop".
    void app.close().then(() => process.exit(0));
  });
  process.send!({ port });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
