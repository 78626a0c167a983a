import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';

/** Query parameters whose values are secrets (recovery tokens, codes) and never logged. */
const SECRET_QUERY_KEYS = /^(token|code|flow_token|c|key|password|secret|verificationcode|access_token)$/i;

/** A request URL with secret query values replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) {
    return url;
  }
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) {
      params.set(key, '[Redacted]');
    }
  }
  return `${url.slice(0, q)}?${params.toString()}`;
}

/**
 * Structured logs: one line per request with method, redacted URL, status and time; never
 * headers that carry credentials, never bodies.
 */
export function loggerOptions(config: AppConfig, logFile?: string): Params {
  const stream = logFile ? pino.destination({ dest: logFile, sync: true, mkdir: true }) : undefined;
  return {
    // nestjs-pino's default route pattern does not reach Fastify routes under Nest 12; match all.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level: config.logLevel,
        genReqId: (req: IncomingMessage) => {
          const existing = (req as IncomingMessage & { id?: unknown }).id;
          return typeof existing === 'string' && existing !== '' ? existing : randomUUID();
        },
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers.cookie',
            'res.headers["set-cookie"]',
            '*.password',
            '*.oldPassword',
            '*.code',
            '*.token',
            '*.verificationCode',
          ],
          censor: '[Redacted]',
        },
        serializers: {
          req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
            id: req.id,
            method: req.method,
            url: redactUrl(req.url ?? ''),
            remoteAddress: req.remoteAddress,
          }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
        customProps: () => ({ service: 'console-users' }),
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}
