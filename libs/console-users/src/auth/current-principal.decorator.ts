import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { ConsoleRequest } from '../http/http-types';
import { ANONYMOUS, Principal } from './principal';

/** The caller, as identified by {@link ConsoleAuthGuard}. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<ConsoleRequest>().consolePrincipal ?? ANONYMOUS;
});

/** The client address, resolved under the trusted-proxy setting. */
export const ClientIp = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<ConsoleRequest>().consoleClientIp ?? '';
});
