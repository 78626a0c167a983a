import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** One documented error answer of a face. */
export interface FaceErrorExample {
  description: string;
  example: unknown;
  /** The body's schema when it is not the face's usual error model (authentik's field errors). */
  model?: Type<unknown>;
  /** The HTTP status when it differs from the catalogue key (envelope faces answer errors with 200). */
  status?: number;
}

/** How a face writes its errors: the body model, its media type and an example per documented case. */
export interface FaceErrorCatalogue<K extends string | number> {
  model: Type<unknown>;
  mediaType: string;
  cases: Record<K, FaceErrorExample>;
}

/**
 * A decorator factory that documents a face's error answers: `HaloErrors(400, 404)` adds the 400
 * and 404 responses with the face's body schema, media type and an example each.
 */
export function faceErrorResponses<K extends string | number>(catalogue: FaceErrorCatalogue<K>): (...cases: K[]) => MethodDecorator {
  return (...cases: K[]) => {
    const models = new Set<Type<unknown>>([catalogue.model]);
    const decorators = cases.map((key) => {
      const entry = catalogue.cases[key];
      const model = entry.model ?? catalogue.model;
      models.add(model);
      return ApiResponse({
        status: entry.status ?? Number(key),
        description: entry.description,
        content: { [catalogue.mediaType]: { schema: { $ref: getSchemaPath(model) }, example: entry.example } },
      });
    });
    return applyDecorators(ApiExtraModels(...models), ...decorators) as MethodDecorator;
  };
}
