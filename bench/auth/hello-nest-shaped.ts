// Baseline child: what Nest 12 + Fastify costs for a route shaped like `GET …/users/-` before any
// of our code runs: four guards that allow (ours are four), a validation pipe and an exception
// filter on the controller, the server's own security-header hook and request log (one JSON line
// per request, stdout) and the same ~900-byte body, kept constant. Built from the same packages as the
// server; the difference between this and the real route is what our authentication,
// authorization and mapping cost.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ArgumentsHost, CanActivate, Catch, Controller, Get, Injectable, Module, UseFilters, UseGuards, UsePipes, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { applicationPino } from '../../apps/console-server/src/bootstrap/boot-logger';
import { addSecurityHeaders } from '../../apps/console-server/src/bootstrap/security-headers';
import { logRequests } from '../../apps/console-server/src/bootstrap/request-log';

/** A `GET users/-` answer of the bench's admin, as the server sends it (the super-role and its two rules). */
const BODY = {
  user: {
    apiVersion: 'v1alpha1',
    kind: 'User',
    metadata: { name: 'admin', annotations: {}, version: 0, creationTimestamp: '2026-12-06T02:49:14.840Z', finalizers: ['user-protection'] },
    spec: { displayName: 'admin', email: 'admin@localhost', emailVerified: false, registeredAt: '2026-12-06T02:49:14.840Z', disabled: false },
    status: { permalink: 'http://console.example.test/authors/admin' },
  },
  roles: [
    {
      apiVersion: 'v1alpha1',
      kind: 'Role',
      metadata: {
        name: 'super-role',
        labels: { 'rbac.authorization.halo.run/system-reserved': 'true' },
        annotations: { 'rbac.authorization.halo.run/ui-permissions': '["*"]', 'rbac.authorization.halo.run/display-name': 'Super Administrator' },
        version: 0,
        creationTimestamp: '2026-12-06T02:49:14.840Z',
      },
      rules: [
        { apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [], verbs: ['*'] },
        { apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['*'], verbs: ['*'] },
      ],
    },
  ],
};

@Injectable()
class AllowA implements CanActivate {
  async canActivate(): Promise<boolean> {
    return true;
  }
}
@Injectable()
class AllowB extends AllowA {}
@Injectable()
class AllowC extends AllowA {}
@Injectable()
class AllowD extends AllowA {}

@Catch()
class NoopFilter {
  catch(_error: unknown, _host: ArgumentsHost): void {}
}

@Controller()
@UseGuards(AllowA, AllowB, AllowC)
@UseGuards(AllowD)
@UseFilters(NoopFilter)
@UsePipes(new ValidationPipe({ whitelist: true, transform: true }))
class ShapedController {
  @Get('hello')
  hello(): typeof BODY {
    return BODY;
  }
}

@Module({ controllers: [ShapedController], providers: [AllowA, AllowB, AllowC, AllowD] })
class ShapedModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(ShapedModule, new FastifyAdapter({ genReqId: () => randomUUID() }), { logger: false });
  const fastify = app.getHttpAdapter().getInstance();
  // The server's own hooks: the same header hook and the same request line, to stdout.
  addSecurityHeaders(fastify);
  logRequests(fastify, applicationPino('info'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', () => void app.close().then(() => process.exit(0)));
}

void main();
