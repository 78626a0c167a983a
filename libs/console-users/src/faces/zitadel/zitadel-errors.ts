import { DomainError, DomainErrorOptions } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';

/** gRPC status codes, as ZITADEL's REST gateway puts them in `code`. */
export enum GrpcCode {
  Unknown = 2,
  InvalidArgument = 3,
  NotFound = 5,
  AlreadyExists = 6,
  PermissionDenied = 7,
  ResourceExhausted = 8,
  FailedPrecondition = 9,
  Aborted = 10,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,
  Unauthenticated = 16,
}

/** What ZITADEL puts in an error: the gRPC code, a source id and a message key. */
export interface ZitadelErrorInfo {
  grpc: GrpcCode;
  /** Machine-stable id; ZITADEL's own where the contract names one. */
  id: string;
  /** ZITADEL's i18n key, e.g. `Errors.User.Code.Invalid`. */
  key: string;
}

/**
 * A domain error raised by the ZITADEL face with ZITADEL's exact code, id and key. It is still
 * a {@link DomainError} with a core code, so any other filter renders it sensibly too.
 */
export class ZitadelError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly zitadel: ZitadelErrorInfo,
    options: DomainErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** The face's named errors, in one place so ids and keys stay consistent. */
export const zitadelErrors = {
  invalidUrlTemplate: (reason: string) =>
    new ZitadelError(ErrorCode.BadRequest, `The URL template is invalid: ${reason}.`, {
      grpc: GrpcCode.InvalidArgument,
      id: 'DOMAIN-oGh5e',
      key: 'Errors.User.InvalidURLTemplate',
    }),
  invalidArgument: (message: string) =>
    new ZitadelError(ErrorCode.BadRequest, message, { grpc: GrpcCode.InvalidArgument, id: 'CONSOLE-Inv4l', key: 'Errors.Invalid.Argument' }),
  invalidEmail: () =>
    new ZitadelError(ErrorCode.BadRequest, 'The email address is not valid.', {
      grpc: GrpcCode.InvalidArgument,
      id: 'CONSOLE-EmInv',
      key: 'Errors.User.Email.Invalid',
    }),
  codeInvalid: () =>
    new ZitadelError(ErrorCode.VerificationFailed, 'The code is invalid.', {
      grpc: GrpcCode.InvalidArgument,
      id: 'COMMAND-eis9R',
      key: 'Errors.User.Code.Invalid',
    }),
  codeEmpty: () =>
    new ZitadelError(ErrorCode.BadRequest, 'There is no outstanding code to resend.', {
      grpc: GrpcCode.FailedPrecondition,
      id: 'CONSOLE-CdEmp',
      key: 'Errors.User.Code.Empty',
    }),
  emailNotChanged: () =>
    new ZitadelError(ErrorCode.BadRequest, 'The email address has not changed.', {
      grpc: GrpcCode.FailedPrecondition,
      id: 'COMMAND-Uch5e',
      key: 'Errors.User.Email.NotChanged',
    }),
  emailAlreadyVerified: () =>
    new ZitadelError(ErrorCode.BadRequest, 'The email address is already verified.', {
      grpc: GrpcCode.FailedPrecondition,
      id: 'CONSOLE-EmVer',
      key: 'Errors.User.Email.AlreadyVerified',
    }),
  noEmail: () =>
    new ZitadelError(ErrorCode.BadRequest, 'The user has no email address.', {
      grpc: GrpcCode.FailedPrecondition,
      id: 'CONSOLE-EmNon',
      key: 'Errors.User.Email.Empty',
    }),
  noPhone: () =>
    new ZitadelError(ErrorCode.BadRequest, 'The user has no phone number that can receive SMS (E.164, e.g. +41791234567).', {
      grpc: GrpcCode.FailedPrecondition,
      id: 'CONSOLE-PhNon',
      key: 'Errors.User.Phone.Empty',
    }),
  emailTaken: () =>
    new ZitadelError(ErrorCode.Conflict, 'Another user has already verified this email address.', {
      grpc: GrpcCode.AlreadyExists,
      id: 'CONSOLE-EmTkn',
      key: 'Errors.User.Email.AlreadyExists',
    }),
  userInactive: () =>
    new ZitadelError(ErrorCode.AccountDisabled, 'The user is not active.', {
      grpc: GrpcCode.FailedPrecondition,
      id: 'CONSOLE-UsIna',
      key: 'Errors.User.NotActive',
    }),
  passwordInvalid: () =>
    new ZitadelError(ErrorCode.UnsatisfiedAttribute, 'The current password is not correct.', {
      grpc: GrpcCode.InvalidArgument,
      id: 'CONSOLE-PwInv',
      key: 'Errors.User.Password.Invalid',
    }),
  userNotFound: () =>
    new ZitadelError(ErrorCode.UserNotFound, 'User could not be found.', {
      grpc: GrpcCode.NotFound,
      id: 'COMMAND-ieJ2e',
      key: 'Errors.User.NotFound',
    }),
  permissionDenied: (message = 'No matching permissions found.') =>
    new ZitadelError(ErrorCode.Forbidden, message, { grpc: GrpcCode.PermissionDenied, id: 'AUTHZ-HKJD33', key: 'Errors.PermissionDenied' }),
};
