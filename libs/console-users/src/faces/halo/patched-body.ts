import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { applyJsonPatch, parseJsonPatch } from './json-patch';

/**
 * A core PATCH body (RFC 6902, checked by {@link parseJsonPatch} before the resource is read, so
 * a malformed patch is a 400 whether or not the name exists) applied to the resource as a client
 * reads it (`read`), then validated as the PUT body `dto` with the face's policy (unknown fields
 * dropped): the result goes through the PUT's own use-case, so a patch can do nothing a PUT
 * cannot. 400 with the first field message when the patched object is not a valid PUT body.
 */
export async function patchedBody<T extends object>(dto: ClassConstructor<T>, patch: unknown, read: () => Promise<object>, what: string): Promise<T> {
  const operations = parseJsonPatch(patch);
  const patched = plainToInstance(dto, applyJsonPatch(await read(), operations));
  const errors = await validate(patched, { whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new DomainError(ErrorCode.BadRequest, firstMessage(errors) ?? `The patched ${what} is not valid.`);
  }
  return patched;
}

function firstMessage(errors: ValidationError[]): string | undefined {
  let error = errors[0];
  while (error && !error.constraints && error.children?.length) {
    error = error.children[0];
  }
  return Object.values(error?.constraints ?? {})[0];
}
