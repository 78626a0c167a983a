// Baseline child: bare Fastify answering `{ok:1}`, the ceiling of HTTP on this machine.
import fastify from 'fastify';

async function main(): Promise<void> {
  const app = fastify({ logger: false });
  app.get('/hello', async () => ({ ok: 1 }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', () => void app.close().then(() => process.exit(0)));
}

void main();
