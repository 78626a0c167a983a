import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS, Principal } from './principal';
import { requestOf } from '../http/http-context';

/** The caller, as identified by {@link ConsoleAuthGuard}. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return requestOf(context).consolePrincipal ?? ANONYMOUS;
});

/** The client address, resolved under the trusted-proxy setting. */
export const ClientIp = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return requestOf(context).consoleClientIp ?? '';
});
