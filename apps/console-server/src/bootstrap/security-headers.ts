import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every answer. Defaults only: pages whose URL carries a code or token
 * set stricter values themselves.
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('X-Frame-Options')) {
      reply.header('X-Frame-Options', 'SAMEORIGIN');
    }
    if (!reply.hasHeader('Referrer-Policy')) {
      reply.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    }
    return payload;
  });
}
