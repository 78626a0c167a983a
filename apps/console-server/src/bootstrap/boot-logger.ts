import type { LoggerService } from '@nestjs/common';
import { writeSync } from 'node:fs';
import pino, { Logger as Pino } from 'pino';
import type { AppConfig } from '../config/app-config';
import { BatchedLineWriter } from './batched-line-writer';

/**
 * Nest's own start-up chatter: one line per module, controller and route (about 95 lines).
 * Useful when debugging routing, noise otherwise: logged at debug level.
 */
const DEBUG_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * Wraps the application logger so the start-up chatter of {@link DEBUG_CONTEXTS} is debug, not
 * info. Everything else passes through unchanged.
 */
export class QuietStartupLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    if (DEBUG_CONTEXTS.has(String(params[params.length - 1]))) {
      this.inner.debug?.(message, ...params);
      return;
    }
    this.inner.log(message, ...params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...params);
  }
}

const BASE = { pid: process.pid, service: 'console-users' };

/**
 * The running server's pino. On stdout, the lines of one turn of the event loop are written
 * together, after the requests that logged them are answered ({@link BatchedLineWriter}: a
 * synchronous write per request line cost more than a tenth of an authenticated read); what is
 * still held is written when the process exits, except after SIGKILL. To `logFile` (tests, which
 * read it at once) every line is written before the call returns.
 */
export function applicationPino(level: AppConfig['logLevel'], logFile?: string): Pino {
  const destination = logFile
    ? pino.destination({ dest: logFile, sync: true, mkdir: true })
    : new BatchedLineWriter(1, { droppedNotice: droppedLinesNotice, reportFailure: reportLogFailure });
  return pino({ level, base: BASE }, destination);
}

/** The warning, in the log's own shape, that lines were dropped while stdout took nothing. */
export function droppedLinesNotice(count: number): string {
  const msg = `${count} log line${count === 1 ? ' was' : 's were'} dropped: standard output took nothing for too long (is the log collector reading it?)`;
  return `${JSON.stringify({ level: 40, time: Date.now(), ...BASE, context: 'Logging', msg })}\n`;
}

/** Stdout refused for good (closed or broken): said once on stderr, since the log cannot say it. */
function reportLogFailure(error: NodeJS.ErrnoException): void {
  try {
    writeSync(2, `console-users: the log can no longer be written to standard output (${error.code ?? error.message}); later lines are dropped\n`);
  } catch {
    // stderr is gone too: there is nowhere left to say it.
  }
}

/** A pino for the lines that precede an exit (a boot that cannot go on): synchronous, so none is lost. */
export function bootPino(level: AppConfig['logLevel'] = 'info', fd: 1 | 2 = 1): Pino {
  return pino({ level, base: BASE }, pino.destination({ fd, sync: true }));
}

/**
 * The application's Nest logger: JSON lines through pino, from the first line of the boot (and a
 * failure that stops it) to the last. Stack traces are kept for debug level: an operator reads
 * the message.
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    const [stack] = params;
    this.write('error', message, params);
    if (typeof stack === 'string' && stack.includes('\n')) {
      this.pino.debug({ context: contextOf(params) }, stack);
    }
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, params: unknown[]): void {
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    this.pino[level]({ context: contextOf(params) }, text);
  }
}

function contextOf(params: unknown[]): string | undefined {
  const last = params[params.length - 1];
  return typeof last === 'string' && !last.includes('\n') ? last : undefined;
}
