import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { serviceUnavailableOf } from '../../errors/service-unavailable';
import { ConsoleResponse, setHeader } from '../../http/http-types';
import { sendRaw } from '../face-response';
import { FRESNS_HEADERS, FresnsEnvelope } from './fresns-envelope';
import { logUnexpectedError } from '../unexpected-error';

/** A Fresns error code and its message from Fresns' code table. */
interface FresnsCode {
  code: number;
  message: string;
}

/** How one of our codes looks in Fresns; `reasons` refine it by the error's `reason`. */
interface FresnsMapping extends FresnsCode {
  reasons?: Record<string, FresnsCode>;
  /** Append our message (parameter errors: which field and why). */
  withDetail?: boolean;
}

const PARAMETER_ERROR: FresnsCode = { code: 30000, message: 'Parameter error' };

/** Every domain error code → Fresns' code and message (texts from Fresns' code table). */
export const FRESNS_ERROR_MAP = {
  [ErrorCode.BadRequest]: {
    code: 30002,
    message: 'Parameter values do not meet the requirements',
    withDetail: true,
    reasons: {
      missing: { code: 30001, message: 'Parameter missing error' },
      password: { code: 34105, message: 'Password length incorrect' },
      'no-email': { code: 34302, message: 'Email not exist' },
      'no-phone': { code: 34303, message: 'Phone number not exist' },
      'nickname-length': { code: 35108, message: 'Nickname length incorrect' },
      'nickname-chars': {
        code: 35107,
        message: 'Consider using a nickname without special characters so it’s accessible to even more people, including people who are blind or have low vision.',
      },
    },
  },
  [ErrorCode.Unauthenticated]: { code: 31501, message: 'Account not logged in, Unable to use' },
  [ErrorCode.InvalidCredentials]: { code: 34305, message: 'Incorrect account or wrong password' },
  [ErrorCode.AccountDisabled]: { code: 34307, message: 'Current account has been banned' },
  [ErrorCode.InvalidToken]: { code: 31504, message: 'Login token is no longer valid, please login again' },
  [ErrorCode.Forbidden]: { code: 35301, message: 'Current user has no right to request' },
  [ErrorCode.UserNotFound]: { code: 34301, message: 'Account not exist' },
  [ErrorCode.NotFound]: { code: 32201, message: 'Wrong ID or record not exist' },
  [ErrorCode.DuplicateName]: { code: 35105, message: 'That username has been taken. Please choose another.' },
  [ErrorCode.RestrictedName]: { code: 35106, message: 'The username contains block words' },
  [ErrorCode.Conflict]: { code: 32202, message: 'Abnormal data: failed to be queried or data duplicated.' },
  [ErrorCode.UnsatisfiedAttribute]: {
    code: 30002,
    message: 'Parameter values do not meet the requirements',
    withDetail: true,
    reasons: { email: { code: 34401, message: 'Email bound' }, phone: { code: 34402, message: 'Phone bound' } },
  },
  [ErrorCode.RateLimited]: {
    code: 33201,
    message: 'Send the verify code too often, please try again later',
    reasons: { verify: { code: 34306, message: 'The error has exceeded the system limit. Please log in again 1 hour later' } },
  },
  [ErrorCode.PayloadTooLarge]: { ...PARAMETER_ERROR, withDetail: true },
  [ErrorCode.UnsupportedMediaType]: { ...PARAMETER_ERROR, withDetail: true },
  [ErrorCode.VerificationFailed]: { code: 33203, message: 'Verify code incorrect or expired' },
  // Same answer as a wrong code: whether a code was burned is nobody's business but the engine's.
  [ErrorCode.VerificationAttemptsExceeded]: { code: 33203, message: 'Verify code incorrect or expired' },
  [ErrorCode.VerificationCodeUsed]: { code: 33203, message: 'Verify code incorrect or expired', withDetail: true },
  [ErrorCode.AddressInUse]: {
    code: 34204,
    message: 'The account has registered',
    reasons: { email: { code: 34205, message: 'Email has been used' }, phone: { code: 34206, message: 'Phone number has been used' } },
  },
  [ErrorCode.ChannelUnavailable]: { code: 32100, message: 'No service provider configured' },
  // Like 404/405 below: the envelope's code is the HTTP status, which is 503 here (see the filter).
  [ErrorCode.ServiceUnavailable]: { code: 503, message: 'Service temporarily unavailable, please try again later' },
} satisfies Record<ErrorCode, FresnsMapping>;

/** The Fresns envelope of a domain error. */
export function fresnsEnvelopeOf(error: DomainError): FresnsEnvelope<null> {
  const mapping: FresnsMapping = FRESNS_ERROR_MAP[error.code];
  const refined = (error.options.reason && mapping.reasons?.[error.options.reason]) || mapping;
  const message = mapping.withDetail && refined === mapping ? `${mapping.message}: ${error.message}` : refined.message;
  return { code: refined.code, message, data: null };
}

/**
 * Renders every error of the Fresns face as its envelope with HTTP 200, as Fresns does for JSON
 * clients. Unknown errors become a bare 500 whose body says nothing about the cause.
 */
@Catch()
export class FresnsErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('FresnsErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ConsoleResponse>();
    exception = serviceUnavailableOf(exception) ?? exception;
    let status = 200;
    let body: FresnsEnvelope<null>;
    if (exception instanceof DomainError) {
      body = fresnsEnvelopeOf(exception);
      // Not a refusal the client must read from the envelope: load balancers and retrying clients
      // act on the status, so an outage is an HTTP 503 (envelope and Retry-After included).
      if (exception.code === ErrorCode.ServiceUnavailable) {
        status = 503;
      }
      if (exception.options.retryAfterSeconds !== undefined) {
        setHeader(response, 'Retry-After', String(exception.options.retryAfterSeconds));
      }
    } else if (clientStatus(exception) !== undefined) {
      const statusOf = clientStatus(exception)!;
      // No such route or method: say so with the status; body-level failures stay Fresns-style 200.
      if (statusOf === 404 || statusOf === 405) {
        status = statusOf;
        body = { code: statusOf, message: statusOf === 404 ? 'Not Found' : 'Method Not Allowed', data: null };
      } else {
        body = { ...PARAMETER_ERROR, data: null };
      }
    } else {
      logUnexpectedError(this.logger, exception, host.switchToHttp().getRequest<{ id?: unknown }>());
      status = 500;
      body = { code: 500, message: 'Something went wrong, please try again later.', data: null };
    }
    for (const [name, value] of Object.entries(FRESNS_HEADERS)) {
      setHeader(response, name, value);
    }
    setHeader(response, 'Cache-Control', 'no-store');
    sendRaw(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
  }
}

/** The 4xx status of framework and body-parser errors, if it is one. */
function clientStatus(exception: unknown): number | undefined {
  const status = exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
