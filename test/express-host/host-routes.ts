import { Body, Controller, Get, Injectable, Post, Req, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { createHmac } from 'node:crypto';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { ConsolePermissionGuard, CurrentPrincipal, RequiresPermission } from '../../libs/console-users/src';
import type { Principal } from '../../libs/console-users/src';

/** The host's own JWT secret: its strategy is no business of the library. */
export const HOST_JWT_SECRET = 'the-host-own-jwt-secret-for-tests';

/** An HS256 JWT as a host's own auth service would issue it. */
export function signHostJwt(subject: string, secret = HOST_JWT_SECRET): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: subject, iat: Math.floor(Date.now() / 1000) })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The host's own Passport strategy, next to the library's. */
@Injectable()
export class HostJwtStrategy extends PassportStrategy(JwtStrategy, 'jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: HOST_JWT_SECRET, algorithms: ['HS256'] });
  }

  validate(payload: { sub: string }): { via: 'jwt'; subject: string } {
    return { via: 'jwt', subject: payload.sub };
  }
}

type HostRequest = { user?: { via?: string; subject?: string; kind?: string; name?: string } };

/** Routes of the host itself, guarded by the library's strategies and guard, or by its own. */
@Controller('host')
export class HostRoutesController {
  @Get('session')
  @UseGuards(AuthGuard('console-session'))
  session(@Req() request: HostRequest): { name?: string } {
    return { name: request.user?.name };
  }

  @Get('reports')
  @UseGuards(ConsolePermissionGuard)
  @RequiresPermission({ apiGroup: '', resource: 'users', verb: 'list' })
  reports(@CurrentPrincipal() principal: Principal): { name: string } {
    return { name: principal.kind === 'user' ? principal.name : 'anonymous' };
  }

  @Get('jwt')
  @UseGuards(AuthGuard('jwt'))
  jwt(@Req() request: HostRequest): HostRequest['user'] {
    return request.user;
  }

  @Get('either')
  @UseGuards(AuthGuard(['jwt', 'console-session']))
  either(@Req() request: HostRequest): { via: string } {
    return { via: request.user?.via === 'jwt' ? 'jwt' : `console:${request.user?.name}` };
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}
