import { SetMetadata } from '@nestjs/common';

export const BODY_LIMIT_METADATA = 'console-users:body-limit';
export const MEDIA_TYPES_METADATA = 'console-users:media-types';

/** Default media types a route with a body accepts. */
export const JSON_ONLY = ['application/json'];

/** Caps the request body of a route below the server-wide limit (→ 413). */
export const BodyLimit = (bytes: number): MethodDecorator & ClassDecorator => SetMetadata(BODY_LIMIT_METADATA, bytes);

/** Media types a route accepts for its body (→ 415 otherwise); JSON only by default. */
export const AcceptsMediaTypes = (...types: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(MEDIA_TYPES_METADATA, types);
