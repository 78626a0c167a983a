// Child process of the benchmark: a bare Fastify server answering one route with a fixed JSON
// body (the same bytes as the real first page), the floor for HTTP + framework + transfer.
import fastify from 'fastify';

async function main(): Promise<void> {
  const body = process.env.BENCH_BODY ?? '{}';
  const app = fastify({ logger: false });
  app.get('/apis/api.console.halo.run/v1alpha1/users', async (_request, reply) => {
    reply.header('Content-Type', 'application/json; charset=utf-8');
    return body;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', () => {
    void app.close().then(() => process.exit(0));
  });
}

void main();
