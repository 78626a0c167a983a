import type { Logger } from '@nestjs/common';

/**
 * Logs an error that no rule of a face maps (its answer is a bare 500 that shows nothing of the
 * cause): name, message and stack, with the request's id when it has one. That id is the one on
 * the request's own log line (and in Halo's problem body), so an operator can go from a 500 to
 * its cause. Nothing else of the request: its headers and body may hold credentials.
 */
export function logUnexpectedError(logger: Logger, exception: unknown, request?: { id?: unknown }): void {
  const error = exception instanceof Error ? exception : new Error(String(exception));
  const id = request?.id;
  const of = typeof id === 'string' || typeof id === 'number' ? ` (request ${id})` : '';
  logger.error(`${error.name}: ${error.message}${of}`, error.stack);
}
