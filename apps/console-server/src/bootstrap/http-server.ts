import { createServer, IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import { authentikPathRewrite } from '../console-users';

/** The settings Fastify gives a server it builds itself, which it hands to a server factory. */
interface FastifyServerSettings {
  http?: ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/**
 * The server's HTTP server, for Fastify's `serverFactory`: what Fastify would build (the same
 * timeouts and limits), except that an authentik path loses its trailing slash before routing
 * (`/api/v3/core/users/` reaches the route `/api/v3/core/users`). Fastify's own `rewriteUrl`
 * option would do the same, but through a call and a new `originalUrl` property on every
 * request of every route, most of which never start with `/api/v3/`; here only a rewritten
 * request gets `originalUrl` (the path as sent, which error bodies quote).
 */
export function createHttpServer(handler: (request: IncomingMessage, response: ServerResponse) => void, settings: Record<string, unknown>): Server {
  return configured(createServer((settings as FastifyServerSettings).http ?? {}, (request, response) => {
    stripAuthentikSlash(request);
    handler(request, response);
  }), settings as FastifyServerSettings);
}

/** `/api/v3/…/` → `/api/v3/…`, keeping the path as sent in `originalUrl`; other requests untouched. */
function stripAuthentikSlash(request: IncomingMessage): void {
  const url = request.url;
  if (url === undefined) {
    return;
  }
  const rewritten = authentikPathRewrite(url);
  if (rewritten !== url) {
    (request as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    request.url = rewritten;
  }
}

/** Fastify's own settings of a server it builds. */
function configured(server: Server, settings: FastifyServerSettings): Server {
  if (settings.keepAliveTimeout !== undefined) {
    server.keepAliveTimeout = settings.keepAliveTimeout;
  }
  if (settings.requestTimeout !== undefined) {
    server.requestTimeout = settings.requestTimeout;
  }
  server.setTimeout(settings.connectionTimeout ?? 0);
  if (settings.maxRequestsPerSocket !== undefined && settings.maxRequestsPerSocket > 0) {
    server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
  }
  return server;
}
