// The baseline: bare Fastify answering a JSON POST with an empty 200, no framework, no database.
import Fastify from 'fastify';
import { ready } from './child';

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.post('/send', async (_request, reply) => {
    reply.code(200).send('');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void app.close().finally(() => process.exit(0)));
  ready({ baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
}

void main();
