import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConsoleRequest, ConsoleResponse, requestUri, setHeader, setStatus } from '../../http/http-types';
import { DomainError } from '../../errors/domain-error';
import { clientErrorMessage, clientErrorStatus, httpExceptionMessage } from '../../errors/http-error-text';
import { ErrorCode } from '../../errors/error-code';
import { serviceUnavailableOf } from '../../errors/service-unavailable';
import { PROBLEM_JSON, ProblemDetail, reasonPhrase } from '../../errors/problem-detail';
import { logUnexpectedError } from '../unexpected-error';

interface HaloMapping {
  status: number;
  title: string;
  type?: string;
}

/** Every domain error code → Halo's status, title and problem type. */
export const HALO_ERROR_MAP = {
  [ErrorCode.BadRequest]: { status: 400, title: 'Bad Request' },
  [ErrorCode.Unauthenticated]: { status: 401, title: 'Unauthorized' },
  [ErrorCode.InvalidCredentials]: {
    status: 401,
    title: 'Bad Credentials',
    type: 'https://halo.run/probs/invalid-credential',
  },
  [ErrorCode.AccountDisabled]: { status: 401, title: 'Account Disabled', type: 'https://halo.run/probs/account-disabled' },
  [ErrorCode.InvalidToken]: { status: 401, title: 'Unauthorized' },
  [ErrorCode.Forbidden]: { status: 403, title: 'Forbidden' },
  [ErrorCode.UserNotFound]: { status: 404, title: 'Not Found' },
  [ErrorCode.NotFound]: { status: 404, title: 'Not Found', type: 'https://www.halo.run/api/errors/extension-not-found' },
  [ErrorCode.DuplicateName]: { status: 400, title: 'Duplicate Name Error' },
  [ErrorCode.RestrictedName]: { status: 400, title: 'Restricted Name' },
  [ErrorCode.Conflict]: { status: 409, title: 'Conflict', type: 'https://halo.run/probs/conflict' },
  [ErrorCode.UnsatisfiedAttribute]: { status: 400, title: 'Unsatisfied Request Attribute value' },
  [ErrorCode.RateLimited]: {
    status: 429,
    title: 'Request Not Permitted',
    type: 'https://halo.run/probs/request-not-permitted',
  },
  [ErrorCode.PayloadTooLarge]: { status: 413, title: 'Payload Too Large' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported Media Type' },
  [ErrorCode.VerificationFailed]: { status: 400, title: 'Email Verification Failed' },
  [ErrorCode.VerificationAttemptsExceeded]: { status: 400, title: 'Email Verification Failed' },
  [ErrorCode.VerificationCodeUsed]: { status: 400, title: 'Email Verification Failed' },
  [ErrorCode.AddressInUse]: { status: 409, title: 'Conflict', type: 'https://halo.run/probs/conflict' },
  [ErrorCode.ChannelUnavailable]: { status: 503, title: 'Service Unavailable' },
  [ErrorCode.ServiceUnavailable]: { status: 503, title: 'Service Unavailable' },
} satisfies Record<ErrorCode, HaloMapping>;

const GENERIC_500 = 'Something went wrong, please try again later.';

/**
 * Renders every error as Halo's RFC 7807 problem (`application/problem+json`). Unknown errors
 * become a bare 500 whose body says nothing about the cause; the cause is logged with the
 * request id (the problem's `requestId`) and no other request data.
 */
@Catch()
export class HaloProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HaloProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<ConsoleRequest>();
    const response = http.getResponse<ConsoleResponse>();
    const { problem, headers } = this.toProblem(exception, request);
    for (const [name, value] of Object.entries(headers)) {
      setHeader(response, name, value);
    }
    setHeader(response, 'Content-Type', PROBLEM_JSON);
    setHeader(response, 'Cache-Control', 'no-store');
    setStatus(response, problem.status);
    sendBody(response, JSON.stringify(problem));
  }

  /** Builds the problem and extra headers for an error; public so other handlers reuse it. */
  toProblem(exception: unknown, request: ConsoleRequest): { problem: ProblemDetail; headers: Record<string, string> } {
    exception = serviceUnavailableOf(exception) ?? exception;
    const headers: Record<string, string> = {};
    let status = 500;
    let title = reasonPhrase(500);
    let type = 'about:blank';
    let detail = GENERIC_500;

    if (exception instanceof DomainError) {
      const mapping: HaloMapping = HALO_ERROR_MAP[exception.code];
      status = mapping.status;
      title = exception.options.title ?? mapping.title;
      type = exception.options.type ?? mapping.type ?? 'about:blank';
      detail = exception.message;
      if (exception.options.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(exception.options.retryAfterSeconds);
      }
      if (exception.code === ErrorCode.Unauthenticated) {
        headers['WWW-Authenticate'] = 'FormLogin realm="console"';
      }
      if (exception.code === ErrorCode.InvalidToken) {
        headers['WWW-Authenticate'] = `Bearer error="invalid_token", error_description="${exception.message}"`;
      }
      if (exception.code === ErrorCode.Forbidden && request.consolePrincipal?.kind === 'user' && request.consolePrincipal.method === 'pat') {
        headers['WWW-Authenticate'] = 'Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token."';
      }
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      title = reasonPhrase(status);
      detail = httpExceptionMessage(exception);
    } else if (clientErrorStatus(exception) !== undefined) {
      status = clientErrorStatus(exception)!;
      title = reasonPhrase(status);
      detail = clientErrorMessage(status);
    } else {
      logUnexpectedError(this.logger, exception, request);
    }

    return {
      problem: {
        type,
        title,
        status,
        detail,
        instance: requestUri(request),
        requestId: String(request.id ?? randomUUID()),
        timestamp: new Date().toISOString(),
      },
      headers,
    };
  }
}

function sendBody(response: ConsoleResponse, body: string): void {
  const r = response as unknown as { send?: (b: string) => unknown; end?: (b: string) => unknown };
  if (typeof r.send === 'function') {
    r.send(body);
  } else {
    r.end?.(body);
  }
}
