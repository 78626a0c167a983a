import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/** One example answer of an envelope face. */
export interface EnvelopeExample {
  summary: string;
  value: unknown;
}

/**
 * Documents the answer of an envelope face (Fresns, AnqiCMS): HTTP 200 for success and for
 * errors alike, told apart by `code`, so one response with one example per case; plus the bare
 * 500 of an unexpected failure and the 503 of an outage (the database or the mail service away,
 * or too many passwords being checked at once), which load balancers and retrying clients read
 * from the status.
 */
export function ApiEnvelopeResponse(options: {
  envelope: Type<unknown>;
  /** Schema of `data` on success (Fresns); absent when the envelope has no data. */
  data?: Type<unknown> | null;
  description: string;
  examples: Record<string, EnvelopeExample>;
  serverError: unknown;
  /** The envelope of an outage, sent with HTTP 503 and `Retry-After`. */
  unavailable: unknown;
}): MethodDecorator {
  const models: Type<unknown>[] = [options.envelope, ...(options.data ? [options.data] : [])];
  const schema: SchemaObject | ReferenceObject = options.data
    ? { allOf: [{ $ref: getSchemaPath(options.envelope) }, { type: 'object', properties: { data: { nullable: true, allOf: [{ $ref: getSchemaPath(options.data) }] } } }] }
    : { $ref: getSchemaPath(options.envelope) };
  return applyDecorators(
    ApiExtraModels(...models),
    ApiResponse({ status: 200, description: options.description, content: { 'application/json': { schema, examples: options.examples } } }),
    ApiResponse({
      status: 500,
      description: 'Unexpected failure: a bare envelope that says nothing about the cause',
      content: { 'application/json': { schema: { $ref: getSchemaPath(options.envelope) }, example: options.serverError } },
    }),
    ApiResponse({
      status: 503,
      description:
        'The service is unavailable for a moment (database or mail service away, or too many passwords being checked at once): the envelope with HTTP 503; retry after the `Retry-After` seconds',
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
      content: { 'application/json': { schema: { $ref: getSchemaPath(options.envelope) }, example: options.unavailable } },
    }),
  ) as MethodDecorator;
}
