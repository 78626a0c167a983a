import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiEnvelopeResponse, EnvelopeExample } from '../../../openapi/envelope-response';
import { ErrorCode } from '../../../errors/error-code';
import type { AnqiCmsEnvelope } from '../anqicms-envelope';
import { ANQICMS_ERROR_MAP } from '../anqicms-error.filter';

/** AnqiCMS' answer: `code` 0 on success, -1 on failure (1001 not logged in, 1002 no access); HTTP 200. */
export class AnqiCmsEnvelopeSchema implements AnqiCmsEnvelope {
  @ApiProperty({ type: 'integer', example: 0, description: '0 success, -1 failure, 1001 not logged in, 1002 no access' })
  code!: number;

  @ApiProperty({ example: 'Please verify your email' })
  msg!: string;
}

function failure(code: ErrorCode, summary: string): EnvelopeExample {
  const mapping: { code: number; msg?: string } = ANQICMS_ERROR_MAP[code];
  return { summary, value: { code: mapping.code, msg: mapping.msg ?? 'The request is not valid' } };
}

/** Documents an AnqiCMS JSON answer: success message and the failures this operation can give. */
export function AnqiCmsResponse(okMessage: string, errors: Record<string, EnvelopeExample> = {}): MethodDecorator {
  return ApiEnvelopeResponse({
    envelope: AnqiCmsEnvelopeSchema,
    description: 'AnqiCMS envelope with HTTP 200, for success and errors alike: check `code`',
    examples: {
      ok: { summary: 'Success', value: { code: 0, msg: okMessage } },
      invalid: { summary: 'A field is missing or invalid', value: { code: -1, msg: 'The request is not valid' } },
      limited: failure(ErrorCode.RateLimited, 'Too many requests (Retry-After is set)'),
      ...errors,
    },
    serverError: { code: -1, msg: 'Something went wrong, please try again later' },
    unavailable: failure(ErrorCode.ServiceUnavailable, 'Unavailable').value,
  });
}

/** Error examples of the link-consuming operations. */
export const AnqiCmsLinkErrors = {
  badLink: failure(ErrorCode.VerificationFailed, 'Invalid, expired or used link'),
};

/** The query of a mailed link. */
export function AnqiCmsLinkQuery(withState: boolean): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'email', required: true, schema: { type: 'string', format: 'email', example: 'jane@example.com' } }),
    ApiQuery({ name: 'token', required: true, schema: { type: 'string' } }),
    ApiQuery({ name: 'code', required: true, schema: { type: 'string' } }),
    ...(withState
      ? [
          ApiQuery({ name: 'state', required: true, schema: { type: 'string', enum: ['verify', 'reset'] } }),
          ApiQuery({ name: 'return', required: false, schema: { type: 'string', enum: ['json'] }, description: 'json: answer with the envelope instead of a page' }),
        ]
      : []),
  ) as MethodDecorator;
}

/** A page for browsers, or (where the request asks for it) the JSON envelope. */
export function AnqiCmsPageResponse(description: string, json: boolean): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(AnqiCmsEnvelopeSchema),
    ApiResponse({
      status: 200,
      description,
      content: {
        'text/html': { schema: { type: 'string' }, example: '<!doctype html><html lang="en">…</html>' },
        ...(json
          ? { 'application/json': { schema: { $ref: getSchemaPath(AnqiCmsEnvelopeSchema) }, examples: { verified: { summary: 'Verified', value: { code: 0, msg: 'Email verified' } }, reset: { summary: 'Reset link valid', value: { code: 0, msg: 'Please set a new password' } }, ...AnqiCmsLinkErrors } } }
          : {}),
      },
    }),
    ApiResponse({
      status: 500,
      description: 'Unexpected failure: a bare envelope that says nothing about the cause (other errors are pages with HTTP 200)',
      content: { 'application/json': { schema: { $ref: getSchemaPath(AnqiCmsEnvelopeSchema) }, example: { code: -1, msg: 'Something went wrong, please try again later' } } },
    }),
  ) as MethodDecorator;
}
