import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ApiEnvelopeResponse, EnvelopeExample } from '../../../openapi/envelope-response';
import type { FresnsRegisteredAccount } from '../fresns-account.service';
import type { FresnsEnvelope } from '../fresns-envelope';
import { FRESNS_ERROR_MAP } from '../fresns-error.filter';
import { ErrorCode } from '../../../errors/error-code';

/** Fresns' answer envelope: `code` 0 is success; errors come with HTTP 200 and a Fresns code. */
export class FresnsEnvelopeSchema implements FresnsEnvelope<null> {
  @ApiProperty({ type: 'integer', example: 0, description: '0 on success, else a code of the Fresns code table' })
  code!: number;

  @ApiProperty({ example: 'ok' })
  message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: null, description: 'The result; null for errors and for operations without one' })
  data!: null;
}

/** The account a Fresns registration created. */
export class FresnsRegisteredAccountSchema implements FresnsRegisteredAccount {
  @ApiProperty({ example: 'jane-4f2a9c' })
  aid!: string;

  @ApiProperty({ example: 'jane-4f2a9c' })
  username!: string;

  @ApiProperty({ example: 'Jane' })
  nickname!: string;

  @ApiProperty({ type: String, nullable: true, example: 'jane@example.com' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  phone!: string | null;
}

/** `data` of a successful registration or code login: the account. */
export class FresnsRegisterDataSchema {
  @ApiProperty({ type: FresnsRegisteredAccountSchema })
  detail!: FresnsRegisteredAccountSchema;
}

function failure(code: ErrorCode, summary: string): EnvelopeExample {
  const mapping = FRESNS_ERROR_MAP[code];
  return { summary, value: { code: mapping.code, message: mapping.message, data: null } };
}

const OK: EnvelopeExample = { summary: 'Success', value: { code: 0, message: 'ok', data: null } };

/** The examples every Fresns operation can answer with. */
const COMMON = {
  parameter: { summary: 'A field is missing or invalid', value: { code: 30000, message: 'Parameter error', data: null } },
  limited: failure(ErrorCode.RateLimited, 'Too many sends or attempts (Retry-After is set)'),
};

/** Documents a Fresns answer: the envelope with `data` (or null) and the errors this operation can give. */
export function FresnsResponse(options: { data?: typeof FresnsRegisterDataSchema; dataExample?: unknown; errors?: Record<string, EnvelopeExample> }): MethodDecorator {
  return ApiEnvelopeResponse({
    envelope: FresnsEnvelopeSchema,
    data: options.data,
    description: 'Fresns envelope with HTTP 200, for success and errors alike: check `code`',
    examples: { ok: options.dataExample !== undefined ? { summary: 'Success', value: { code: 0, message: 'ok', data: options.dataExample } } : OK, ...COMMON, ...options.errors },
    serverError: { code: 500, message: 'Something went wrong, please try again later.', data: null },
    unavailable: failure(ErrorCode.ServiceUnavailable, 'Unavailable').value,
  });
}

/**
 * A Fresns request body with whole-body examples, one per way to call it: Swagger UI would
 * otherwise build one example out of every field, sending fields that exclude each other.
 */
export function FresnsBody(model: Type<unknown>, examples: Record<string, { summary: string; value: object }>): MethodDecorator {
  return applyDecorators(ApiExtraModels(model), ApiBody({ required: true, schema: { $ref: getSchemaPath(model) }, examples })) as MethodDecorator;
}

/** Error examples of the code-consuming operations. */
export const FresnsCodeErrors = {
  wrongCode: failure(ErrorCode.VerificationFailed, 'Wrong or expired code'),
};

export { failure as fresnsFailure };
