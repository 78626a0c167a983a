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
 * 500 of an unexpected failure.
 */
export function ApiEnvelopeResponse(options: {
  envelope: Type<unknown>;
  /** Schema of `data` on success (Fresns); absent when the envelope has no data. */
  data?: Type<unknown> | null;
  description: string;
  examples: Record<string, EnvelopeExample>;
  serverError: unknown;
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
  ) as MethodDecorator;
}
