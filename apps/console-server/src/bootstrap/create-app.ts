import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as NestLogger } from '@nestjs/common';
import { AppModule, AppOverrides } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { ConsoleUsersExceptionFilter, ConsoleUsersMetrics, unsupportedCharset } from '../console-users';
import { applicationPino, JsonLogger, QuietStartupLogger } from './boot-logger';
import { serveConsoleUi } from './console-ui';
import { recordHttpMetrics } from './http-metrics';
import { createHttpServer } from './http-server';
import { startMetricsListener } from './metrics-listener';
import { setUpOpenApi } from './openapi';
import { logRequests } from './request-log';
import { useReplySerializer } from './reply-serializer';
import { declareConsoleRequestProperties } from './request-shape';
import { addSecurityHeaders } from './security-headers';

/** Server-wide JSON body limit (README); some routes lower it further. */
export const JSON_BODY_LIMIT = 64 * 1024;

/**
 * Builds the server on Fastify: body limits, problem+json for every error (parse errors, 413,
 * 415 and unknown routes included), security headers, OpenAPI. Does not listen.
 */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: JSON_BODY_LIMIT,
    genReqId: () => randomUUID(),
    // The client IP is resolved by the library under TRUST_PROXY; Fastify itself trusts nobody.
    trustProxy: false,
    routerOptions: { maxParamLength: 256 },
    return503OnClosing: true,
    // Avatar uploads are read by the library itself (see below): no @fastify/multipart, whose
    // hooks ran on every request of every route.
    multipart: false,
    // authentik clients call `/api/v3/…/` with a trailing slash; our routes have none: the
    // server strips it before routing.
    serverFactory: createHttpServer,
  });
  const log = applicationPino(config.logLevel, overrides.logFile);
  // Route mapping and module loading at debug level: a first start shows the useful lines only.
  const logger = new QuietStartupLogger(new JsonLogger(log));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, overrides), adapter, {
    // Fail with an error main() prints, not with process.abort() and a core dump.
    abortOnError: false,
    // JSON lines from the first one to the last, boot failures included; never Nest's coloured text.
    logger,
  });

  // A JSON content type with an empty body means "no body" (the authentik client sends exactly
  // that for an optional body); anything else goes through Fastify's own JSON parser.
  app.useBodyParser('application/json', { bodyLimit: JSON_BODY_LIMIT }, (request, body, done) => {
    // Fastify would decode a UTF-16 body as UTF-8 and answer its garbage with a 400: say 415.
    const charsetError = unsupportedCharset(request.headers['content-type']);
    if (charsetError) {
      done(charsetError, undefined);
      return;
    }
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error')(request as never, body as unknown as string, done);
  });

  // RFC 6902 patches (Halo's core PATCH): JSON under its own media type.
  app.useBodyParser('application/json-patch+json', { bodyLimit: JSON_BODY_LIMIT }, (request, body, done) => {
    const charsetError = unsupportedCharset(request.headers['content-type']);
    if (charsetError) {
      done(charsetError, undefined);
      return;
    }
    app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error')(request as never, body as unknown as string, done);
  });

  // Multipart bodies (avatar uploads, one file of at most 2 MiB) stay unread here: the avatar route
  // reads the stream itself, bounded, and checks the file. Without a parser Fastify would answer 415.
  app.getHttpAdapter().getInstance().addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));

  // Nest routes errors raised before its handlers (body parsing, 404) through global filters
  // only; the library's filter gives each mounted face's paths that face's format, the rest Halo's.
  app.useGlobalFilters(app.get(ConsoleUsersExceptionFilter));

  const fastify = app.getHttpAdapter().getInstance();
  declareConsoleRequestProperties(fastify);
  logRequests(fastify, log);
  useReplySerializer(fastify);
  // Lines still buffered for stdout are written when the server closes, not only at exit.
  fastify.addHook('onClose', (_instance, done) => log.flush(() => done()));
  addSecurityHeaders(fastify);

  await serveConsoleUi(app, config.consoleUiDir, new NestLogger('ConsoleUi'));

  // Prometheus metrics: off unless METRICS_ENABLED or METRICS_PORT asks for them.
  if (config.metrics.endpoint || config.metrics.listener) {
    const metrics = app.get(ConsoleUsersMetrics);
    recordHttpMetrics(fastify, metrics);
    if (config.metrics.listener) {
      const { host, port } = config.metrics.listener;
      const listener = await startMetricsListener(metrics, host, port);
      fastify.addHook('onClose', (_instance, done) => {
        listener.server.close(() => done());
        listener.server.closeAllConnections();
      });
      new NestLogger('Metrics').log(`Prometheus metrics on http://${host}:${listener.port}/actuator/prometheus (no authentication: METRICS_HOST is the protection)`);
    }
  }

  setUpOpenApi(app);

  // Signals are main()'s business: an embedding program or a test owns its own process.
  return app;
}
