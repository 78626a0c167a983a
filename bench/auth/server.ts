// Child of the auth benchmark: the real server (Fastify, migrations, library, request logging to
// stdout, which the parent points at a file) configured from the environment as `npm start` would
// be, with per-IP login limits raised so 20 concurrent logins measure argon2 and not 429s.
import 'reflect-metadata';
import { createApp } from '../../apps/console-server/src/bootstrap/create-app';
import { parseConfig } from '../../apps/console-server/src/config/app-config';

const UNLIMITED = { perMinute: 1_000_000_000, perHour: 1_000_000_000 };

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const app = await createApp(config, {
    onAdminCreated: () => undefined,
    throttling: { login: UNLIMITED },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
