import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every answer. Defaults only: pages whose URL carries a code or token
 * set stricter values themselves.
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  // A callback hook, not an async one: nothing here waits, and an async hook costs every answer a
  // promise and a turn of the microtask queue.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('X-Frame-Options')) {
      reply.header('X-Frame-Options', 'SAMEORIGIN');
    }
    if (!reply.hasHeader('Referrer-Policy')) {
      reply.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    }
    done(null, payload);
  });
}
