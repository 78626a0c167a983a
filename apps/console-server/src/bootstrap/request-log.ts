import type { FastifyInstance } from 'fastify';
import type { Logger as Pino } from 'pino';

/** Query parameters whose values are secrets (recovery tokens, codes) and never logged. */
const SECRET_QUERY_KEYS = /^(token|code|flow_token|c|key|password|secret|verificationcode|access_token)$/i;

/** A request URL with secret query values replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) {
    return url;
  }
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) {
      params.set(key, '[Redacted]');
    }
  }
  return `${url.slice(0, q)}?${params.toString()}`;
}

/**
 * One line per answered request, unknown routes and static files included: request id, method,
 * redacted URL, client address, status and milliseconds. Never headers (credentials travel
 * there) and never bodies.
 *
 * Written from Fastify's own response hook with the application's pino: the fields are chosen
 * here, so no redaction pass, no per-request child logger and no request-scoped context
 * (AsyncLocalStorage), which together cost more CPU than the rest of an authenticated read.
 */
export function logRequests(fastify: FastifyInstance, log: Pino): void {
  if (!log.isLevelEnabled('info')) {
    return;
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    log.info(
      {
        req: { id: request.id, method: request.method, url: redactUrl(request.url), remoteAddress: request.socket.remoteAddress },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
    done();
  });
}
