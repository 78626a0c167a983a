import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../auth/principal';

/**
 * The parts of a request the library reads. Both Express's `Request` and Fastify's
 * `FastifyRequest` have them, so the library runs on either adapter.
 */
export interface ConsoleRequest {
  method: string;
  url: string;
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  params?: Record<string, string | undefined>;
  query?: unknown;
  body?: unknown;
  id?: string | number;
  raw?: { socket?: { remoteAddress?: string } };
  socket?: { remoteAddress?: string };
  /** Set by the authentication guard. */
  consolePrincipal?: Principal;
  /** Set by the authentication guard. */
  consoleClientIp?: string;
}

/**
 * Every property the library sets on a request object: the caller and its address (the guards),
 * the user of a checked login form (`POST /login`). A Fastify host can declare them up front
 * (`fastify.decorateRequest(name, undefined)` for each, before it listens) so request objects keep
 * one shape instead of growing per request, which V8 makes every later reader pay for.
 */
export const CONSOLE_REQUEST_PROPERTIES = ['consolePrincipal', 'consoleClientIp', 'consoleLoginUser'] as const;

/** The parts of a response the library writes; shared by Express and Fastify replies. */
export interface ConsoleResponse {
  header(name: string, value: string | string[]): unknown;
  status?(code: number): unknown;
  code?(code: number): unknown;
}

/** Sets a response header on Express or Fastify. */
export function setHeader(response: ConsoleResponse, name: string, value: string | string[]): void {
  response.header(name, value);
}

/** Sets the status code on Express (`status`) or Fastify (`code`). */
export function setStatus(response: ConsoleResponse, status: number): void {
  if (typeof response.code === 'function') {
    response.code(status);
  } else if (typeof response.status === 'function') {
    response.status(status);
  }
}

/** The path and query of the request as the client sent it. */
export function requestUri(request: ConsoleRequest): string {
  return request.originalUrl ?? request.url;
}

/** The path of the request without the query string. */
export function requestPath(request: ConsoleRequest): string {
  const uri = requestUri(request);
  const q = uri.indexOf('?');
  return q === -1 ? uri : uri.slice(0, q);
}

/** The socket peer address (before any proxy logic). */
export function peerAddress(request: ConsoleRequest): string {
  return request.raw?.socket?.remoteAddress ?? request.socket?.remoteAddress ?? '';
}

/**
 * A single header value (first one when repeated). `name` is in lower case, as Node and Express
 * key headers: every request reads several headers here, and lower-casing each name again cost
 * more than the lookup.
 */
export function headerValue(request: ConsoleRequest, name: Lowercase<string>): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True when the client asked for a JSON answer (XHR or a JSON Accept). */
export function wantsJson(request: ConsoleRequest): boolean {
  if (headerValue(request, 'x-requested-with')?.toLowerCase() === 'xmlhttprequest') {
    return true;
  }
  const accept = headerValue(request, 'accept') ?? '';
  return accept.includes('json');
}
