import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { serviceUnavailableOf } from '../errors/service-unavailable';
import type { ConsoleRequest, ConsoleResponse } from '../http/http-types';
import { messagePage, RecoveryMessageKey } from './recovery-page';
import { RecoveryPageRenderer } from './recovery-page.renderer';
import { pageLocale, sendPage } from './recovery-page.http';
import { logUnexpectedError } from '../faces/unexpected-error';

interface PageMapping {
  status: number;
  message: RecoveryMessageKey;
}

/** Every domain error code → the status and message page a person sees on the recovery pages. */
export const RECOVERY_PAGE_ERROR_MAP = {
  [ErrorCode.BadRequest]: { status: 400, message: 'badRequest' },
  [ErrorCode.Unauthenticated]: { status: 401, message: 'badRequest' },
  [ErrorCode.InvalidCredentials]: { status: 401, message: 'badRequest' },
  [ErrorCode.AccountDisabled]: { status: 410, message: 'linkRevoked' },
  [ErrorCode.InvalidToken]: { status: 401, message: 'badRequest' },
  [ErrorCode.Forbidden]: { status: 403, message: 'crossSite' },
  [ErrorCode.UserNotFound]: { status: 400, message: 'linkInvalid' },
  [ErrorCode.NotFound]: { status: 400, message: 'linkInvalid' },
  [ErrorCode.DuplicateName]: { status: 400, message: 'badRequest' },
  [ErrorCode.RestrictedName]: { status: 400, message: 'badRequest' },
  [ErrorCode.Conflict]: { status: 409, message: 'error' },
  [ErrorCode.UnsatisfiedAttribute]: { status: 400, message: 'badRequest' },
  [ErrorCode.RateLimited]: { status: 429, message: 'rateLimited' },
  [ErrorCode.PayloadTooLarge]: { status: 413, message: 'badRequest' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, message: 'badRequest' },
  [ErrorCode.VerificationFailed]: { status: 400, message: 'linkInvalid' },
  [ErrorCode.VerificationAttemptsExceeded]: { status: 400, message: 'linkInvalid' },
  [ErrorCode.VerificationCodeUsed]: { status: 400, message: 'linkInvalid' },
  [ErrorCode.AddressInUse]: { status: 409, message: 'error' },
  [ErrorCode.ChannelUnavailable]: { status: 503, message: 'error' },
  [ErrorCode.ServiceUnavailable]: { status: 503, message: 'error' },
} satisfies Record<ErrorCode, PageMapping>;

/**
 * Errors on the recovery pages become HTML pages in the reader's language, with the same
 * no-store / no-referrer / no-script headers as every other page. Unknown errors are logged
 * with the request id and no other request data, and shown as a generic page.
 */
@Catch()
export class RecoveryPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('RecoveryPages');

  constructor(private readonly renderer: RecoveryPageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<ConsoleRequest>();
    const response = http.getResponse<ConsoleResponse>();
    exception = serviceUnavailableOf(exception) ?? exception;
    let page = messagePage(500, 'error');
    if (exception instanceof DomainError) {
      const mapping: PageMapping = RECOVERY_PAGE_ERROR_MAP[exception.code];
      page = messagePage(mapping.status, mapping.message, exception.options.retryAfterSeconds);
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      // Unknown paths under /recovery reach this filter through the host's path dispatch.
      page = messagePage(exception.getStatus(), exception.getStatus() === 404 ? 'linkInvalid' : 'badRequest');
    } else if (isClientError(exception)) {
      page = messagePage(exception.statusCode, 'badRequest');
    } else {
      logUnexpectedError(this.logger, exception, request);
    }
    sendPage(response, this.renderer.render(page, pageLocale(request)));
  }
}

function isClientError(value: unknown): value is { statusCode: number } {
  const status = (value as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
