import type { FastifyInstance } from 'fastify';
import pino, { Logger as Pino } from 'pino';

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

/** The fields of a request line. */
export interface RequestLine {
  id: string;
  method: string;
  url: string;
  remoteAddress: string | undefined;
  statusCode: number;
  responseTime: number;
}

/** The parts of a pino logger's own output a line needs (`pino.symbols`: pino's documented internals). */
interface PinoOutput {
  [key: symbol]: unknown;
}

/**
 * Writes request lines to `log`'s destination, byte for byte what
 * `log.info({ req: { id, method, url, remoteAddress }, res: { statusCode }, responseTime }, 'request completed')`
 * writes, without pino's generic serializer: the line is the only one every request logs, and
 * walking its objects cost more than building it.
 */
export function requestLineWriter(log: Pino): (line: RequestLine) => void {
  const output = log as unknown as PinoOutput;
  const start = (output[pino.symbols.lsCacheSym] as Record<number, string>)[log.levels.values.info!]!;
  const time = output[pino.symbols.timeSym] as (this: Pino) => string;
  const bindings = output[pino.symbols.chindingsSym] as string;
  const stream = output[pino.symbols.streamSym] as { write(line: string): unknown };
  return (line) => {
    const remote = line.remoteAddress === undefined ? '' : `,"remoteAddress":${JSON.stringify(line.remoteAddress)}`;
    stream.write(
      `${start}${time.call(log)}${bindings},"req":{"id":${JSON.stringify(line.id)},"method":${JSON.stringify(line.method)},` +
        `"url":${JSON.stringify(line.url)}${remote}},"res":{"statusCode":${line.statusCode}},"responseTime":${line.responseTime},"msg":"request completed"}\n`,
    );
  };
}

/**
 * One line per answered request, unknown routes and static files included: request id, method,
 * redacted URL, client address, status and milliseconds. Never headers (credentials travel
 * there) and never bodies.
 *
 * Written from Fastify's own response hook to the application's pino destination: the fields are
 * chosen here, so no redaction pass, no per-request child logger and no request-scoped context
 * (AsyncLocalStorage), which together cost more CPU than the rest of an authenticated read.
 */
export function logRequests(fastify: FastifyInstance, log: Pino): void {
  if (!log.isLevelEnabled('info')) {
    return;
  }
  const write = requestLineWriter(log);
  fastify.addHook('onResponse', (request, reply, done) => {
    write({
      id: request.id,
      method: request.method,
      url: redactUrl(request.url),
      remoteAddress: request.socket.remoteAddress,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime),
    });
    done();
  });
}
