import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { serviceUnavailableOf } from '../../errors/service-unavailable';
import { reasonPhrase } from '../../errors/problem-detail';
import { ConsoleResponse, setHeader, setStatus } from '../../http/http-types';
import { logUnexpectedError } from '../unexpected-error';

/**
 * How authentik (Django REST framework) shapes an error: `validation` → 400 with field errors
 * `{"field": ["…"]}` or `{"non_field_errors": "…"}` (a string, as authentik's user endpoints
 * raise it); `detail` → `{"detail": "…"}` with DRF's wording when `detail` is set here.
 */
interface AuthentikMapping {
  status: number;
  shape: 'validation' | 'detail';
  detail?: string;
}

/** Every domain error code → authentik's status and body shape. */
export const AUTHENTIK_ERROR_MAP = {
  [ErrorCode.BadRequest]: { status: 400, shape: 'validation' },
  [ErrorCode.Unauthenticated]: { status: 401, shape: 'detail', detail: 'Authentication credentials were not provided.' },
  [ErrorCode.InvalidCredentials]: { status: 401, shape: 'detail', detail: 'Incorrect authentication credentials.' },
  [ErrorCode.AccountDisabled]: { status: 401, shape: 'detail', detail: 'User inactive or deleted.' },
  [ErrorCode.InvalidToken]: { status: 401, shape: 'detail', detail: 'Token invalid/expired' },
  [ErrorCode.Forbidden]: { status: 403, shape: 'detail', detail: 'You do not have permission to perform this action.' },
  [ErrorCode.UserNotFound]: { status: 404, shape: 'detail', detail: 'No User matches the given query.' },
  [ErrorCode.NotFound]: { status: 404, shape: 'detail' },
  [ErrorCode.DuplicateName]: { status: 400, shape: 'validation' },
  [ErrorCode.RestrictedName]: { status: 400, shape: 'validation' },
  [ErrorCode.Conflict]: { status: 409, shape: 'detail' },
  [ErrorCode.UnsatisfiedAttribute]: { status: 400, shape: 'validation' },
  [ErrorCode.RateLimited]: { status: 429, shape: 'detail' },
  [ErrorCode.PayloadTooLarge]: { status: 413, shape: 'detail' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, shape: 'detail' },
  [ErrorCode.VerificationFailed]: { status: 400, shape: 'validation' },
  [ErrorCode.VerificationAttemptsExceeded]: { status: 400, shape: 'validation' },
  [ErrorCode.VerificationCodeUsed]: { status: 400, shape: 'validation' },
  [ErrorCode.AddressInUse]: { status: 400, shape: 'validation' },
  // Only public code sends raise it and the authentik face has none; kept a 4xx like every entry here.
  [ErrorCode.ChannelUnavailable]: { status: 400, shape: 'detail' },
  // DRF's ServiceUnavailable: 503 with its default detail.
  [ErrorCode.ServiceUnavailable]: { status: 503, shape: 'detail', detail: 'Service temporarily unavailable, try again later.' },
} satisfies Record<ErrorCode, AuthentikMapping>;

/**
 * Renders every error of the authentik face as authentik does (JSON, DRF shapes). Unknown errors
 * become a bare 500 whose body says nothing about the cause; the cause is logged with the
 * request id and no other request data.
 */
@Catch()
export class AuthentikErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AuthentikErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<ConsoleResponse>();
    const { status, body, headers } = this.toResponse(exception, http.getRequest<{ id?: unknown }>());
    for (const [name, value] of Object.entries(headers)) {
      setHeader(response, name, value);
    }
    setHeader(response, 'Content-Type', 'application/json');
    setHeader(response, 'Cache-Control', 'no-store');
    setStatus(response, status);
    const r = response as unknown as { send?: (b: string) => unknown; end?: (b: string) => unknown };
    const text = JSON.stringify(body);
    if (typeof r.send === 'function') {
      r.send(text);
    } else {
      r.end?.(text);
    }
  }

  /** Status, body and extra headers for an error; public so a host's global filter can reuse it. */
  toResponse(exception: unknown, request?: { id?: unknown }): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
    exception = serviceUnavailableOf(exception) ?? exception;
    const headers: Record<string, string> = {};
    if (exception instanceof DomainError) {
      const mapping: AuthentikMapping = AUTHENTIK_ERROR_MAP[exception.code];
      if (exception.options.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(exception.options.retryAfterSeconds);
      }
      if (mapping.status === 401) {
        headers['WWW-Authenticate'] = 'Bearer realm="authentik"';
      }
      if (mapping.shape === 'validation') {
        return { status: mapping.status, body: exception.options.fields ?? { non_field_errors: exception.message }, headers };
      }
      const detail =
        exception.code === ErrorCode.RateLimited
          ? `Request was throttled. Expected available in ${exception.options.retryAfterSeconds ?? 60} seconds.`
          : (mapping.detail ?? exception.message);
      return { status: mapping.status, body: { detail }, headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, body: { detail: status === 404 ? 'Not found.' : reasonPhrase(status) }, headers };
    }
    const clientStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
      return { status: clientStatus, body: { detail: clientStatus === 400 ? 'JSON parse error.' : reasonPhrase(clientStatus) }, headers };
    }
    logUnexpectedError(this.logger, exception, request);
    return { status: 500, body: { detail: 'A server error occurred.' }, headers };
  }
}
