import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { serviceUnavailableOf } from '../../errors/service-unavailable';
import { ConsoleRequest, ConsoleResponse, headerValue, setHeader } from '../../http/http-types';
import { resolveLocale } from '../../notifications/template-dirs';
import { sendRaw } from '../face-response';
import type { AnqiCmsEnvelope } from './anqicms-envelope';
import { messagePage, PAGE_TEXTS, sendPage } from './anqicms-pages';
import { logUnexpectedError } from '../unexpected-error';

/** An AnqiCMS code and, when ours is not the right text, a fixed message. */
interface AnqiCmsMapping {
  code: number;
  /** Fixed message; absent → the error's own message (safe by construction). */
  msg?: string;
}

const FAILED = -1;
const NOT_LOGGED_IN = 1001;
const NO_ACCESS = 1002;

/** Every domain error code → AnqiCMS' code (0 OK, -1 failed, 1001 not logged in, 1002 no access). */
export const ANQICMS_ERROR_MAP = {
  [ErrorCode.BadRequest]: { code: FAILED },
  [ErrorCode.Unauthenticated]: { code: NOT_LOGGED_IN, msg: 'Please log in first' },
  [ErrorCode.InvalidCredentials]: { code: FAILED },
  [ErrorCode.AccountDisabled]: { code: FAILED },
  [ErrorCode.InvalidToken]: { code: NOT_LOGGED_IN, msg: 'Please log in first' },
  [ErrorCode.Forbidden]: { code: NO_ACCESS, msg: 'No access' },
  [ErrorCode.UserNotFound]: { code: FAILED, msg: 'User does not exist' },
  [ErrorCode.NotFound]: { code: FAILED },
  [ErrorCode.DuplicateName]: { code: FAILED },
  [ErrorCode.RestrictedName]: { code: FAILED },
  [ErrorCode.Conflict]: { code: FAILED },
  [ErrorCode.UnsatisfiedAttribute]: { code: FAILED },
  [ErrorCode.RateLimited]: { code: FAILED, msg: 'Too many requests, please try again later' },
  [ErrorCode.PayloadTooLarge]: { code: FAILED },
  [ErrorCode.UnsupportedMediaType]: { code: FAILED },
  // One text for wrong, expired, used and replaced links: no oracle on the token's state.
  [ErrorCode.VerificationFailed]: { code: FAILED, msg: 'The link is invalid, expired or already used' },
  [ErrorCode.VerificationAttemptsExceeded]: { code: FAILED, msg: 'The link is invalid, expired or already used' },
  [ErrorCode.VerificationCodeUsed]: { code: FAILED, msg: 'The code has already been used' },
  [ErrorCode.AddressInUse]: { code: FAILED, msg: 'The email has been used by another account' },
  [ErrorCode.ChannelUnavailable]: { code: FAILED },
  [ErrorCode.ServiceUnavailable]: { code: FAILED, msg: 'Service temporarily unavailable, please try again later' },
} satisfies Record<ErrorCode, AnqiCmsMapping>;

/** The AnqiCMS envelope of a domain error. */
export function anqiEnvelopeOf(error: DomainError): AnqiCmsEnvelope {
  const mapping: AnqiCmsMapping = ANQICMS_ERROR_MAP[error.code];
  return { code: mapping.code, msg: mapping.msg ?? error.message };
}

/**
 * Renders every error of the AnqiCMS face with HTTP 200: `{code, msg}` for API clients, or a
 * message page for browsers (the mailed link, the reset form). Unknown errors become a bare 500.
 */
@Catch()
export class AnqiCmsErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AnqiCmsErrorFilter');

  constructor(@Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<ConsoleRequest>();
    const response = http.getResponse<ConsoleResponse>();
    exception = serviceUnavailableOf(exception) ?? exception;
    let body: AnqiCmsEnvelope;
    if (exception instanceof DomainError) {
      body = anqiEnvelopeOf(exception);
      if (exception.options.retryAfterSeconds !== undefined) {
        setHeader(response, 'Retry-After', String(exception.options.retryAfterSeconds));
      }
    } else if (clientStatus(exception) === 404 || clientStatus(exception) === 405) {
      setHeader(response, 'Cache-Control', 'no-store');
      sendRaw(response, clientStatus(exception)!, 'application/json; charset=utf-8', JSON.stringify({ code: FAILED, msg: 'Not Found' }));
      return;
    } else if (clientStatus(exception) !== undefined) {
      body = { code: FAILED, msg: 'The request is not valid' };
    } else {
      logUnexpectedError(this.logger, exception, request);
      setHeader(response, 'Cache-Control', 'no-store');
      sendRaw(response, 500, 'application/json; charset=utf-8', JSON.stringify({ code: FAILED, msg: 'Something went wrong, please try again later' }));
      return;
    }
    if (wantsPage(request)) {
      const locale = resolveLocale(null, headerValue(request, 'accept-language'));
      const texts = PAGE_TEXTS[locale];
      const message =
        exception instanceof DomainError && (exception.code === ErrorCode.VerificationFailed || exception.code === ErrorCode.VerificationAttemptsExceeded)
          ? texts.invalidLink
          : body.msg;
      sendPage(response, messagePage(locale, texts.failedTitle, message), new URL(this.options.publicUrl).origin);
      return;
    }
    setHeader(response, 'Cache-Control', 'no-store');
    // An outage is an HTTP 503 (envelope and Retry-After included), so load balancers and retrying
    // clients see it; every other failure stays AnqiCMS' HTTP 200 envelope.
    const status = exception instanceof DomainError && exception.code === ErrorCode.ServiceUnavailable ? 503 : 200;
    sendRaw(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
  }
}

/**
 * Browsers get pages: the mailed link (a GET without `return=json`) and the reset form's post.
 * Everything else is an API client.
 */
export function wantsPage(request: ConsoleRequest): boolean {
  if (request.method.toUpperCase() === 'GET') {
    const query = (request.query ?? {}) as Record<string, unknown>;
    return query.return !== 'json';
  }
  return (headerValue(request, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** The 4xx status of framework and body-parser errors, if it is one. */
function clientStatus(exception: unknown): number | undefined {
  const status = exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
