import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** Constraints that mean "the field was not sent". */
const MISSING = new Set(['isDefined', 'isNotEmpty']);

/**
 * Validation for faces whose errors are envelopes (Fresns, AnqiCMS): the first failure becomes a
 * {@link DomainError} `BadRequest` with `reason` `missing` or `invalid`, which the face's filter
 * renders. Unknown fields are dropped, since those clients send more than we read.
 */
export function faceValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => toDomainError(errors),
  });
}

function toDomainError(errors: ValidationError[]): DomainError {
  let error = errors[0];
  let path = error?.property ?? '';
  while (error && !error.constraints && error.children?.length) {
    error = error.children[0]!;
    path = `${path}.${error.property}`;
  }
  const [constraint, message] = Object.entries(error?.constraints ?? {})[0] ?? ['', 'The request is not valid.'];
  return new DomainError(ErrorCode.BadRequest, message.startsWith(path) ? message : `${path}: ${message}`, {
    reason: MISSING.has(constraint) ? 'missing' : 'invalid',
  });
}
