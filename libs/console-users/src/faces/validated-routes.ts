import { PipeTransform, UsePipes } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

/** Built-in parameters Nest never passes through pipes (request, response, headers, IP, …). */
const NEVER_PIPED = new Set<number>([
  RouteParamtypes.REQUEST,
  RouteParamtypes.RESPONSE,
  RouteParamtypes.NEXT,
  RouteParamtypes.SESSION,
  RouteParamtypes.HEADERS,
  RouteParamtypes.IP,
  RouteParamtypes.HOST,
]);

/**
 * Whether a validation pipe has anything to do for a route's parameters: a body, a query, a
 * path parameter of a type other than string (converted), anything else Nest pipes. A path
 * parameter typed `string` comes out of the pipe as it went in, and so does a parameter of one of
 * our own decorators (the caller, the client IP): the face pipes do not validate custom
 * decorators. When in doubt, it says yes.
 */
export function takesValidatedInput(prototype: object, method: string): boolean {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, prototype.constructor, method) as Record<string, { index: number }> | undefined;
  const types = Reflect.getMetadata('design:paramtypes', prototype, method) as unknown[] | undefined;
  return Object.entries(args ?? {}).some(([key, arg]) => {
    const type = key.slice(0, key.lastIndexOf(':'));
    if (type.endsWith(CUSTOM_ROUTE_ARGS_METADATA)) {
      return false;
    }
    const builtIn = Number(type);
    if (NEVER_PIPED.has(builtIn)) {
      return false;
    }
    return !(builtIn === RouteParamtypes.PARAM && types?.[arg.index] === String);
  });
}

/**
 * A controller's validation pipe, on each route that takes input to validate (see
 * {@link takesValidatedInput}) rather than on the whole controller. A route without such input
 * then gets its arguments at once: with any pipe bound, Nest settles every piped argument
 * through promises, which cost the most frequent reads (the caller's own detail) more than their
 * authorization. Apply it after the route decorators (as a class decorator, it is).
 */
export function UseValidationPipeWhereNeeded(pipe: PipeTransform): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as Record<string, unknown>;
    for (const method of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, method);
      if (method !== 'constructor' && typeof descriptor?.value === 'function' && takesValidatedInput(prototype, method)) {
        UsePipes(pipe)(prototype, method, descriptor);
      }
    }
  };
}
