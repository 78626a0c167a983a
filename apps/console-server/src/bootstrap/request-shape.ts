import type { FastifyInstance } from 'fastify';
import { CONSOLE_REQUEST_PROPERTIES } from '../console-users';

/**
 * Declares the properties the library sets on requests (the caller, its address, a checked login)
 * on Fastify's request class, before the server listens. Every request object is then built with
 * them and keeps one shape; set per request instead, each would grow the object and make V8's
 * property reads in Fastify, Nest and the request log megamorphic on every route.
 */
export function declareConsoleRequestProperties(fastify: FastifyInstance): void {
  for (const name of CONSOLE_REQUEST_PROPERTIES) {
    if (!fastify.hasRequestDecorator(name)) {
      fastify.decorateRequest(name, undefined);
    }
  }
}
