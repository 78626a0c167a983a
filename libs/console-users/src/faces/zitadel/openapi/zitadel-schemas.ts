import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { faceErrorResponses } from '../../../openapi/face-error-responses';
import type {
  ZitadelAddHumanUserResponse,
  ZitadelDetails,
  ZitadelGetUserResponse,
  ZitadelHumanProfile,
  ZitadelHumanUser,
  ZitadelUser,
  ZitadelUserState,
  ZitadelWriteResponse,
} from '../dto/zitadel-responses.dto';
import { GrpcCode } from '../zitadel-errors';
import { ZITADEL_ERROR_DETAIL_TYPE, ZitadelErrorBody } from '../zitadel-error.filter';

/*
 * Response and error schemas of the ZITADEL face, for the OpenAPI document only. Each class
 * `implements` the type the face returns, so drift fails to compile.
 */

/** `object.v2.Details`. */
export class ZitadelDetailsSchema implements ZitadelDetails {
  @ApiProperty({ example: '17', description: 'uint64 as a JSON string' })
  sequence!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T09:30:00.000Z' })
  changeDate!: string;

  @ApiProperty({ example: '1', description: 'The organization: always "1" here' })
  resourceOwner!: string;
}

/** Answer of every write (SetEmail, SendEmailCode, ResendEmailCode, VerifyEmail, PasswordReset, SetPassword). */
export class ZitadelWriteResponseSchema implements ZitadelWriteResponse {
  @ApiProperty({ type: ZitadelDetailsSchema })
  details!: ZitadelDetailsSchema;

  @ApiPropertyOptional({ example: '042917', description: 'Only when the request asked for `returnCode` (needs the code-returning permission)' })
  verificationCode?: string;
}

/** AddHumanUserResponse. */
export class ZitadelAddHumanUserResponseSchema implements ZitadelAddHumanUserResponse {
  @ApiProperty({ example: '2', description: 'The new user id' })
  userId!: string;

  @ApiProperty({ type: ZitadelDetailsSchema })
  details!: ZitadelDetailsSchema;

  @ApiPropertyOptional({ example: '042917', description: 'Only when `email.returnCode` asked for it (needs the code-returning permission)' })
  emailCode?: string;
}

/** `user.v2.HumanProfile`. */
export class ZitadelHumanProfileSchema implements ZitadelHumanProfile {
  @ApiProperty({ example: '' })
  givenName!: string;

  @ApiProperty({ example: '' })
  familyName!: string;

  @ApiProperty({ example: '' })
  nickName!: string;

  @ApiProperty({ example: 'Jane Doe' })
  displayName!: string;

  @ApiProperty({ example: 'en' })
  preferredLanguage!: string;

  @ApiProperty({ enum: ['GENDER_UNSPECIFIED'], example: 'GENDER_UNSPECIFIED' })
  gender!: 'GENDER_UNSPECIFIED';

  @ApiProperty({ example: '' })
  avatarUrl!: string;
}

/** `user.v2.HumanEmail`. */
export class ZitadelHumanEmailSchema {
  @ApiProperty({ example: 'jane@example.com' })
  email!: string;

  @ApiProperty({ example: true })
  isVerified!: boolean;
}

/** `user.v2.HumanPhone`. */
export class ZitadelHumanPhoneSchema {
  @ApiProperty({ example: '' })
  phone!: string;

  @ApiProperty({ example: false })
  isVerified!: boolean;
}

/** `user.v2.HumanUser`. */
export class ZitadelHumanUserSchema implements ZitadelHumanUser {
  @ApiProperty({ type: ZitadelHumanProfileSchema })
  profile!: ZitadelHumanProfileSchema;

  @ApiProperty({ type: ZitadelHumanEmailSchema })
  email!: ZitadelHumanEmailSchema;

  @ApiProperty({ type: ZitadelHumanPhoneSchema })
  phone!: ZitadelHumanPhoneSchema;

  @ApiProperty({ example: false })
  passwordChangeRequired!: boolean;
}

/** `user.v2.User` (human users only). */
export class ZitadelUserSchema implements ZitadelUser {
  @ApiProperty({ example: '2' })
  userId!: string;

  @ApiProperty({ type: ZitadelDetailsSchema })
  details!: ZitadelDetailsSchema;

  @ApiProperty({ enum: ['USER_STATE_ACTIVE', 'USER_STATE_INACTIVE'], example: 'USER_STATE_ACTIVE' })
  state!: ZitadelUserState;

  @ApiProperty({ example: 'jane' })
  username!: string;

  @ApiProperty({ type: [String], example: ['jane'] })
  loginNames!: string[];

  @ApiProperty({ example: 'jane' })
  preferredLoginName!: string;

  @ApiProperty({ type: ZitadelHumanUserSchema })
  human!: ZitadelHumanUserSchema;
}

/** GetUserByIDResponse. */
export class ZitadelGetUserResponseSchema implements ZitadelGetUserResponse {
  @ApiProperty({ type: ZitadelDetailsSchema })
  details!: ZitadelDetailsSchema;

  @ApiProperty({ type: ZitadelUserSchema })
  user!: ZitadelUserSchema;
}

/** One entry of an error's `details`. */
export class ZitadelErrorDetailSchema {
  @ApiProperty({ enum: [ZITADEL_ERROR_DETAIL_TYPE], example: ZITADEL_ERROR_DETAIL_TYPE })
  '@type'!: typeof ZITADEL_ERROR_DETAIL_TYPE;

  @ApiProperty({ example: 'COMMAND-eis9R', description: 'Where the error was raised' })
  id!: string;

  @ApiProperty({ example: 'Errors.User.Code.Invalid', description: 'The i18n message key' })
  message!: string;
}

/** ZITADEL's REST error (grpc-gateway's `google.rpc.Status`). */
export class ZitadelErrorSchema implements ZitadelErrorBody {
  @ApiProperty({ enum: Object.values(GrpcCode).filter((v) => typeof v === 'number'), type: 'integer', example: GrpcCode.InvalidArgument, description: 'gRPC status code' })
  code!: GrpcCode;

  @ApiProperty({ example: 'code is invalid (COMMAND-eis9R)' })
  message!: string;

  @ApiProperty({ type: [ZitadelErrorDetailSchema] })
  details!: ZitadelErrorDetailSchema[];
}

function error(code: GrpcCode, text: string, id: string, key: string): ZitadelErrorBody {
  return { code, message: `${text} (${id})`, details: [{ '@type': ZITADEL_ERROR_DETAIL_TYPE, id, message: key }] };
}

/** Documents ZITADEL-face error answers (`{code, message, details}`): `@ZitadelErrors(400, 401)`. */
export const ZitadelErrors = faceErrorResponses({
  model: ZitadelErrorSchema,
  mediaType: 'application/json',
  cases: {
    400: {
      description: 'InvalidArgument or FailedPrecondition: bad field, unknown field, wrong or burned code',
      example: error(GrpcCode.InvalidArgument, 'invalid request: email must be an email', 'CONSOLE-Inv4l', 'Errors.Invalid.Argument'),
    },
    401: { description: 'Unauthenticated: no valid session, PAT or Basic credentials', example: error(GrpcCode.Unauthenticated, 'Full authentication is required to access this resource.', 'AUTH-7fs1e', 'Errors.Token.Missing') },
    403: { description: 'PermissionDenied: another user without the needed permission', example: error(GrpcCode.PermissionDenied, 'No matching permissions found.', 'AUTHZ-HKJD33', 'Errors.PermissionDenied') },
    404: { description: 'NotFound: no such user', example: error(GrpcCode.NotFound, 'User could not be found.', 'COMMAND-ieJ2e', 'Errors.User.NotFound') },
    409: { description: 'AlreadyExists: the address belongs to another account', example: error(GrpcCode.AlreadyExists, 'Another user has already verified this email address.', 'CONSOLE-EmTkn', 'Errors.User.Email.AlreadyExists') },
    413: { description: 'Body too large', example: error(GrpcCode.ResourceExhausted, 'The request body is too large.', 'CONSOLE-Size1', 'Errors.Request.TooLarge') },
    429: {
      description: 'ResourceExhausted: a send or attempt limit; `Retry-After` says when',
      example: error(GrpcCode.ResourceExhausted, 'API rate limit exceeded, please try again later.', 'CONSOLE-Rate1', 'Errors.Quota.Exhausted'),
    },
    501: { description: 'Unimplemented: hashedPassword is not supported', example: error(GrpcCode.Unimplemented, 'Setting a password by hash is not supported; send newPassword.', 'CONSOLE-PwHsh', 'Errors.User.Password.HashUnsupported') },
    503: { description: 'Unavailable: database or notification channel down, or too many password checks waiting; `Retry-After` is set', example: error(GrpcCode.Unavailable, 'no notification provider', 'CONSOLE-NoChn', 'Errors.Notification.NoProvider') },
  },
});

/**
 * A ZITADEL request body with whole-body examples, one per oneof choice: Swagger UI would
 * otherwise build one example out of every field, setting several members of a oneof at once.
 */
export function ZitadelBody(model: Type<unknown>, examples: Record<string, { summary: string; value: object }>): MethodDecorator {
  return applyDecorators(ApiExtraModels(model), ApiBody({ required: true, schema: { $ref: getSchemaPath(model) }, examples })) as MethodDecorator;
}
