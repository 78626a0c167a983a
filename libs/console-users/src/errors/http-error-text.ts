import type { HttpException } from '@nestjs/common';
import { reasonPhrase } from './problem-detail';

/** The caller-safe message of a Nest `HttpException` (validation messages joined). */
export function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return response;
  }
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) {
    return message.join('; ');
  }
  return typeof message === 'string' ? message : reasonPhrase(exception.getStatus());
}

/** The 4xx `statusCode` that errors from body parsers and the HTTP layer carry, if any. */
export function clientErrorStatus(value: unknown): number | undefined {
  const status = (value as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** A generic message for such an error: the parser's own text may quote the body. */
export function clientErrorMessage(status: number): string {
  switch (status) {
    case 400:
      return 'The request body could not be read.';
    case 413:
      return 'The request body is too large.';
    case 415:
      return 'The request body has an unsupported media type.';
    default:
      return reasonPhrase(status);
  }
}
