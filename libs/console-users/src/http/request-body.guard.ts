import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RouteMetadata } from '../common/route-metadata';
import { BODY_LIMIT_METADATA, JSON_ONLY, MEDIA_TYPES_METADATA } from './body-rules.decorator';
import { headerValue } from './http-types';
import { tooDeep, unsupportedCharset } from './json-body-rules';
import { requestOf } from './http-context';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The route's body rules: 413 above its `@BodyLimit`, 415 for a media type outside its
 * `@AcceptsMediaTypes` (JSON only by default) or a charset other than UTF-8, 400 for a body
 * nested deeper than `JSON_MAX_DEPTH` (checked here, before validation recurses into it).
 * Runs after the auth guard, so a stranger learns 401/403 before anything about bodies.
 */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  private readonly bodyLimit: RouteMetadata<number>;
  private readonly mediaTypes: RouteMetadata<string[]>;

  constructor(protected readonly reflector: Reflector) {
    this.bodyLimit = new RouteMetadata(reflector, BODY_LIMIT_METADATA);
    this.mediaTypes = new RouteMetadata(reflector, MEDIA_TYPES_METADATA);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = requestOf(context);
    if (!METHODS_WITH_BODY.has(request.method.toUpperCase())) {
      return true;
    }
    const limit = this.bodyLimit.of(context);
    const length = Number(headerValue(request, 'content-length') ?? '0');
    if (limit !== undefined && length > limit) {
      throw new DomainError(ErrorCode.PayloadTooLarge, `The request body must not exceed ${limit} bytes.`);
    }
    const hasBody = length > 0 || headerValue(request, 'transfer-encoding') !== undefined;
    if (!hasBody) {
      return true;
    }
    const accepted = this.mediaTypes.of(context) ?? JSON_ONLY;
    const contentTypeHeader = headerValue(request, 'content-type');
    const contentType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
    if (!accepted.includes(contentType)) {
      throw new DomainError(
        ErrorCode.UnsupportedMediaType,
        `Content-Type '${contentType.slice(0, 100) || '(none)'}' is not supported; use ${accepted.join(' or ')}.`,
      );
    }
    const refusal = unsupportedCharset(contentTypeHeader) ?? tooDeep(request.body);
    if (refusal) {
      throw refusal;
    }
    return true;
  }
}
