import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

const DESCRIPTIONS: Record<string, string> = {
  'accept-language': 'Language of the mail or page (en, zh-CN); default en',
  'x-fresns-client-lang-tag': "Fresns' language tag; wins over Accept-Language",
  'content-type': 'application/json, or application/x-www-form-urlencoded (answered with a page)',
};

/**
 * Marks headers a handler reads with `@Headers(name)` as optional in the document: Nest
 * documents such headers as required, which would make Swagger UI refuse to send a request
 * without them, while the server treats every one of them as optional.
 */
export function ApiOptionalHeaders(...names: (keyof typeof DESCRIPTIONS)[]): MethodDecorator {
  return applyDecorators(...names.map((name) => ApiHeader({ name, required: false, description: DESCRIPTIONS[name] }))) as MethodDecorator;
}
