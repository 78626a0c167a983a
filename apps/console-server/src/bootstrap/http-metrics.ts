import type { FastifyInstance } from 'fastify';
import { ALL_FACES, ConsoleUsersMetrics } from '../console-users';

/** The `uri` label of requests no route matched: never the raw URL (unbounded, and may hold secrets). */
export const UNMATCHED_URI = 'UNMATCHED';

/** The face owning a route pattern, by the prefixes the faces declare; `core` for login, health, pages. */
export function faceOf(uri: string): string {
  for (const face of ALL_FACES) {
    if (face.pathPrefixes.some((prefix) => uri === prefix || uri.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))) {
      return face.name;
    }
  }
  return uri === '/console' || uri.startsWith('/console/') ? 'console-ui' : 'core';
}

/**
 * One observation per answered request: method, the route pattern Fastify matched (so
 * `/users/:name`, never a user's name), status and face, with the time Fastify measured.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: ConsoleUsersMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const uri = request.routeOptions?.url ?? UNMATCHED_URI;
    metrics.httpRequests.observe(
      { method: request.method, uri, status: String(reply.statusCode), face: uri === UNMATCHED_URI ? 'none' : faceOf(uri) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
