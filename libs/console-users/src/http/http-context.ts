import type { ArgumentsHost } from '@nestjs/common';
import type { ConsoleRequest, ConsoleResponse } from './http-types';

/*
 * The request and response of an HTTP guard's or parameter decorator's context. Nest hands them
 * as the context's first two arguments; `switchToHttp()` gives the same objects, but builds three
 * closures and assigns them to the context on every call, and each request passes through five
 * such calls on its way to any handler.
 */

/** The request of an HTTP context (`context.switchToHttp().getRequest()`). */
export function requestOf(context: ArgumentsHost): ConsoleRequest {
  return context.getArgByIndex<ConsoleRequest>(0);
}

/** The response of an HTTP context (`context.switchToHttp().getResponse()`). */
export function responseOf(context: ArgumentsHost): ConsoleResponse {
  return context.getArgByIndex<ConsoleResponse>(1);
}
