import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';

/** Seconds a client is told to wait when a dependency fails without saying for how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** What every face says, in its own format, while a dependency is away. No internals. */
export const SERVICE_UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable, please try again shortly.';

/**
 * Thrown by a host's guard around a dependency (the server's database circuit breaker) to refuse
 * work at once while the dependency is known to be down. The faces answer it with a 503 and
 * `Retry-After: retryAfterSeconds`.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    /** `database`, `redis`, … — for logs, never shown to callers. */
    readonly dependency: string,
    message: string,
    readonly retryAfterSeconds: number = DEFAULT_RETRY_AFTER_SECONDS,
  ) {
    super(message);
    this.name = 'DependencyUnavailableError';
  }
}

/**
 * Node socket errors, PostgreSQL SQLSTATEs and client messages that mean "the database or Redis
 * cannot answer now", as opposed to a bug or a bad statement. Class 08 is PostgreSQL's
 * "connection exception"; 57P01-57P03 a server shutting down or starting; 53300 a full server;
 * 57014 a statement cancelled by `statement_timeout`; 55P03 a `lock_timeout`.
 */
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03']);
const MESSAGES = [
  /^Connection terminated/, // pg: the server went away mid-query
  /timeout exceeded when trying to connect/, // pg-pool: connectionTimeoutMillis
  /^Query read timeout/, // pg: query_timeout
  /^Client has encountered a connection error/, // pg: a client reused after its socket failed
  /^Connection is closed\.?$/, // ioredis
  /enableOfflineQueue options is false/, // ioredis: not connected and not queueing
  /^Command timed out/, // ioredis: commandTimeout
  /^Reached the max retries per request limit/, // ioredis: MaxRetriesPerRequestError
  // TypeORM: the connection broke mid-transaction and the ORM released it on the socket's error
  // event; the COMMIT then cannot be sent, and PostgreSQL rolls the transaction back.
  /^Query runner already released/,
];

/** True when an error (or what it wraps: TypeORM's `driverError`, a `cause`) is such an outage. */
export function isDependencyOutage(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) {
    return false;
  }
  if (error instanceof DependencyUnavailableError) {
    return true;
  }
  const e = error as { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (NODE_CODES.has(e.code) || SQLSTATES.has(e.code) || e.code.startsWith('08'))) {
    return true;
  }
  if (e.name === 'MaxRetriesPerRequestError') {
    return true;
  }
  if (typeof e.message === 'string' && MESSAGES.some((pattern) => pattern.test(e.message as string))) {
    return true;
  }
  return isDependencyOutage(e.driverError, depth + 1) || isDependencyOutage(e.cause, depth + 1);
}

/**
 * The 503 a face answers for an outage of the database or Redis, or undefined for any other
 * error. The filters call it first, so a dependency that is down is never a 500.
 */
export function serviceUnavailableOf(exception: unknown): DomainError | undefined {
  if (exception instanceof DomainError || !isDependencyOutage(exception)) {
    return undefined;
  }
  const retryAfterSeconds = findRetryAfter(exception) ?? DEFAULT_RETRY_AFTER_SECONDS;
  return new DomainError(ErrorCode.ServiceUnavailable, SERVICE_UNAVAILABLE_MESSAGE, { retryAfterSeconds });
}

function findRetryAfter(error: unknown, depth = 0): number | undefined {
  if (error instanceof DependencyUnavailableError) {
    return Math.max(1, Math.ceil(error.retryAfterSeconds));
  }
  if (error === null || typeof error !== 'object' || depth > 4) {
    return undefined;
  }
  const e = error as { driverError?: unknown; cause?: unknown };
  return findRetryAfter(e.driverError, depth + 1) ?? findRetryAfter(e.cause, depth + 1);
}
