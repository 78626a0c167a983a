import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { serviceUnavailableOf } from '../../errors/service-unavailable';
import { clientErrorMessage, clientErrorStatus, httpExceptionMessage } from '../../errors/http-error-text';
import { reasonPhrase } from '../../errors/problem-detail';
import { ConsoleRequest, ConsoleResponse, setHeader, setStatus } from '../../http/http-types';
import { GrpcCode, ZitadelError } from './zitadel-errors';
import { logUnexpectedError } from '../unexpected-error';

/** The `@type` of every entry in `details`. */
export const ZITADEL_ERROR_DETAIL_TYPE = 'type.googleapis.com/zitadel.v1.ErrorDetail';

/** ZITADEL's REST error body (grpc-gateway's `google.rpc.Status` with ZITADEL's detail). */
export interface ZitadelErrorBody {
  code: GrpcCode;
  message: string;
  details: { '@type': typeof ZITADEL_ERROR_DETAIL_TYPE; id: string; message: string }[];
}

interface ZitadelMapping {
  grpc: GrpcCode;
  id: string;
  key: string;
  /** Only where HTTP says more than the gateway's mapping of the gRPC code would (413, 415). */
  http?: number;
}

/** grpc-gateway's gRPC code → HTTP status mapping. */
export const GRPC_HTTP_STATUS: Record<GrpcCode, number> = {
  [GrpcCode.Unknown]: 500,
  [GrpcCode.InvalidArgument]: 400,
  [GrpcCode.NotFound]: 404,
  [GrpcCode.AlreadyExists]: 409,
  [GrpcCode.PermissionDenied]: 403,
  [GrpcCode.ResourceExhausted]: 429,
  [GrpcCode.FailedPrecondition]: 400,
  [GrpcCode.Aborted]: 409,
  [GrpcCode.Unimplemented]: 501,
  [GrpcCode.Internal]: 500,
  [GrpcCode.Unavailable]: 503,
  [GrpcCode.Unauthenticated]: 401,
};

/**
 * Every domain error code → ZITADEL's gRPC code, id and message key. Errors the face raises
 * itself ({@link ZitadelError}) carry their own, more specific triple.
 */
export const ZITADEL_ERROR_MAP = {
  [ErrorCode.BadRequest]: { grpc: GrpcCode.InvalidArgument, id: 'CONSOLE-Inv4l', key: 'Errors.Invalid.Argument' },
  [ErrorCode.Unauthenticated]: { grpc: GrpcCode.Unauthenticated, id: 'AUTH-7fs1e', key: 'Errors.Token.Missing' },
  [ErrorCode.InvalidCredentials]: { grpc: GrpcCode.Unauthenticated, id: 'CONSOLE-Cred1', key: 'Errors.User.Password.Invalid' },
  [ErrorCode.AccountDisabled]: { grpc: GrpcCode.FailedPrecondition, id: 'CONSOLE-UsIna', key: 'Errors.User.NotActive' },
  [ErrorCode.InvalidToken]: { grpc: GrpcCode.Unauthenticated, id: 'AUTH-7fs1e', key: 'Errors.Token.Invalid' },
  [ErrorCode.Forbidden]: { grpc: GrpcCode.PermissionDenied, id: 'AUTHZ-HKJD33', key: 'Errors.PermissionDenied' },
  [ErrorCode.UserNotFound]: { grpc: GrpcCode.NotFound, id: 'COMMAND-ieJ2e', key: 'Errors.User.NotFound' },
  [ErrorCode.NotFound]: { grpc: GrpcCode.NotFound, id: 'CONSOLE-NtFnd', key: 'Errors.NotFound' },
  [ErrorCode.DuplicateName]: { grpc: GrpcCode.AlreadyExists, id: 'CONSOLE-Dupl1', key: 'Errors.User.AlreadyExists' },
  [ErrorCode.RestrictedName]: { grpc: GrpcCode.InvalidArgument, id: 'CONSOLE-Rstr1', key: 'Errors.User.Username.Reserved' },
  [ErrorCode.Conflict]: { grpc: GrpcCode.Aborted, id: 'CONSOLE-Cnfl1', key: 'Errors.Concurrency' },
  [ErrorCode.UnsatisfiedAttribute]: { grpc: GrpcCode.InvalidArgument, id: 'CONSOLE-Attr1', key: 'Errors.Invalid.Argument' },
  [ErrorCode.RateLimited]: { grpc: GrpcCode.ResourceExhausted, id: 'CONSOLE-Rate1', key: 'Errors.Quota.Exhausted' },
  [ErrorCode.PayloadTooLarge]: { grpc: GrpcCode.ResourceExhausted, id: 'CONSOLE-Size1', key: 'Errors.Request.TooLarge', http: 413 },
  [ErrorCode.UnsupportedMediaType]: { grpc: GrpcCode.InvalidArgument, id: 'CONSOLE-Type1', key: 'Errors.Request.UnsupportedMediaType', http: 415 },
  [ErrorCode.VerificationFailed]: { grpc: GrpcCode.InvalidArgument, id: 'COMMAND-eis9R', key: 'Errors.User.Code.Invalid' },
  // The code is burned; only a new one helps, so the state (not the argument) is at fault.
  [ErrorCode.VerificationAttemptsExceeded]: { grpc: GrpcCode.FailedPrecondition, id: 'CONSOLE-CdExh', key: 'Errors.User.Code.Exhausted' },
  // A late duplicate of a successful submit: the state, not the argument, is at fault.
  [ErrorCode.VerificationCodeUsed]: { grpc: GrpcCode.FailedPrecondition, id: 'CONSOLE-CdUsd', key: 'Errors.User.Code.AlreadyUsed' },
  [ErrorCode.AddressInUse]: { grpc: GrpcCode.AlreadyExists, id: 'CONSOLE-AdrIU', key: 'Errors.User.AlreadyExists' },
  [ErrorCode.ChannelUnavailable]: { grpc: GrpcCode.Unavailable, id: 'CONSOLE-NoChn', key: 'Errors.Notification.NoProvider' },
  [ErrorCode.ServiceUnavailable]: { grpc: GrpcCode.Unavailable, id: 'CONSOLE-Unav1', key: 'Errors.Internal.Unavailable' },
} satisfies Record<ErrorCode, ZitadelMapping>;

/** HTTP errors raised outside our services (routing, body parsing, pipes) → gRPC code. */
function grpcForHttpStatus(status: number): GrpcCode {
  switch (status) {
    case 401:
      return GrpcCode.Unauthenticated;
    case 403:
      return GrpcCode.PermissionDenied;
    case 404:
      return GrpcCode.NotFound;
    case 405:
      return GrpcCode.Unimplemented;
    case 409:
      return GrpcCode.AlreadyExists;
    case 413:
    case 429:
      return GrpcCode.ResourceExhausted;
    default:
      return status >= 500 ? GrpcCode.Internal : GrpcCode.InvalidArgument;
  }
}

/** A rendered error: status, body and extra headers. */
export interface ZitadelErrorResponse {
  status: number;
  body: ZitadelErrorBody;
  headers: Record<string, string>;
}

/**
 * Renders every error of the ZITADEL face as ZITADEL's REST gateway does:
 * `{code, message: "<text> (<id>)", details: [{@type, id, message: <key>}]}`. Unknown errors
 * become a bare 500 with no internals; the cause is logged with the request id and no other
 * request data.
 */
@Injectable()
@Catch()
export class ZitadelErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ZitadelErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<ConsoleResponse>();
    const request = http.getRequest<ConsoleRequest>();
    const rendered = this.toResponse(exception, request);
    for (const [name, value] of Object.entries(rendered.headers)) {
      setHeader(response, name, value);
    }
    setHeader(response, 'Content-Type', 'application/json');
    setHeader(response, 'Cache-Control', 'no-store');
    setStatus(response, rendered.status);
    const r = response as unknown as { send?: (b: string) => unknown; end?: (b: string) => unknown };
    const body = JSON.stringify(rendered.body);
    if (typeof r.send === 'function') {
      r.send(body);
    } else {
      r.end?.(body);
    }
  }

  /** Builds status, body and headers for an error; public for tests and other handlers. */
  toResponse(exception: unknown, request?: ConsoleRequest): ZitadelErrorResponse {
    exception = serviceUnavailableOf(exception) ?? exception;
    const headers: Record<string, string> = {};
    if (exception instanceof DomainError) {
      const mapping: ZitadelMapping =
        exception instanceof ZitadelError ? { ...exception.zitadel } : ZITADEL_ERROR_MAP[exception.code];
      if (exception.options.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(exception.options.retryAfterSeconds);
      }
      if (exception.code === ErrorCode.InvalidToken) {
        headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
      } else if (mapping.grpc === GrpcCode.Unauthenticated) {
        headers['WWW-Authenticate'] = 'Bearer';
      }
      if (exception.code === ErrorCode.Forbidden && request?.consolePrincipal?.kind === 'user' && request.consolePrincipal.method === 'pat') {
        headers['WWW-Authenticate'] = 'Bearer error="insufficient_scope"';
      }
      return { status: mapping.http ?? GRPC_HTTP_STATUS[mapping.grpc], body: body(mapping, exception.message), headers };
    }
    const status = exception instanceof HttpException ? exception.getStatus() : clientErrorStatus(exception);
    if (status !== undefined && status < 500) {
      const grpc = grpcForHttpStatus(status);
      const message = exception instanceof HttpException ? httpExceptionMessage(exception) : clientErrorMessage(status);
      const mapping: ZitadelMapping = { grpc, id: `CONSOLE-Http${status}`, key: `Errors.Http.${reasonPhrase(status).replace(/ /g, '')}` };
      return { status, body: body(mapping, message), headers };
    }
    logUnexpectedError(this.logger, exception, request);
    return {
      status: 500,
      body: body({ grpc: GrpcCode.Internal, id: 'CONSOLE-Int01', key: 'Errors.Internal' }, 'Internal error.'),
      headers,
    };
  }
}

function body(mapping: ZitadelMapping, text: string): ZitadelErrorBody {
  return {
    code: mapping.grpc,
    message: `${text} (${mapping.id})`,
    details: [{ '@type': ZITADEL_ERROR_DETAIL_TYPE, id: mapping.id, message: mapping.key }],
  };
}
