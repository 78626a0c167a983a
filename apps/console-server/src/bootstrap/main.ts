import 'reflect-metadata';
import type { EventEmitter } from 'node:events';
import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ConfigError, parseConfig } from '../config/app-config';
import { BootError } from './boot-error';
import { bootPino } from './boot-logger';
import { checkDatabaseReachable } from './database-check';
import { createApp } from './create-app';
import { reportMailSetup } from './smtp-check';
import { loadEnvFile } from './env-file';
import { IdleMemoryTrim, requestWatch, v8HeapControl } from './idle-memory-trim';

/** How long a graceful shutdown may take before the process gives up and exits with 1. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Boots the server from the environment. A bad value or an unusable DATABASE_URL stops it with
 * one JSON line on stderr naming the variable and the reason (no stack).
 */
export async function main(): Promise<void> {
  let config;
  const envFile = loadEnvFile();
  try {
    config = parseConfig(process.env);
    await checkDatabaseReachable(config.database);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof BootError) {
      exitWithBootFailure(error.message, error.variable);
    }
    throw error;
  }
  const app = await createApp(config);
  if (envFile) {
    new Logger('ConsoleServer').log(`Read ${envFile} (variables set in the environment win over it)`);
  }
  exitOnSignals(app);
  await app.listen({ port: config.port, host: config.host });
  // The bound address, not the configured one: PORT=0 picks a free port.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const logger = new Logger('ConsoleServer');
  logger.log(`console-users listening on http://${config.host}:${port} (public URL ${config.publicUrl})`);
  void reportMailSetup(config, new Logger('Mail'));
  if (config.idleMemoryTrim) {
    trimMemoryWhenIdle(app.getHttpServer(), new Logger('Memory'));
  }
}

/** Starts the {@link IdleMemoryTrim}; says so, once, when this Node's V8 offers no collector to call. */
function trimMemoryWhenIdle(httpServer: EventEmitter, logger: Logger): void {
  const heap = v8HeapControl();
  if (!heap) {
    logger.warn('IDLE_MEMORY_TRIM is on but this Node offers no garbage collector to call: memory a busy spell grew is given back only when V8 decides to');
    return;
  }
  const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
  new IdleMemoryTrim(heap, undefined, {
    watchRequests: requestWatch(httpServer),
    onStart: (baseline) => logger.debug(`Heap ${mb(baseline)} MB after boot: it is handed back once the server is quiet after growing 8 MB or more`),
    onTrimStart: (before) => logger.debug(`Quiet after a busy spell: handing back memory, heap ${mb(before)} MB`),
    onTrim: (before, after, interrupted) =>
      logger.debug(
        interrupted
          ? `Requests arrived while handing back memory: stopped at ${mb(before)} MB → ${mb(after)} MB, the rest in the next quiet spell`
          : `Quiet after a busy spell: heap handed back, ${mb(before)} MB → ${mb(after)} MB`,
      ),
    onError: (error) => logger.warn(`Handing memory back failed: ${error instanceof Error ? error.message : String(error)}`),
  }).start();
}

/** One JSON line on stderr, then exit 1: what a boot failure prints, whatever its cause. */
export function exitWithBootFailure(message: string, variable?: string): never {
  bootPino('info', 2).fatal({ context: 'ConsoleServer', ...(variable ? { variable } : {}) }, message);
  process.exit(1);
}

/**
 * SIGTERM or SIGINT: stop accepting connections, let requests in flight finish, close the
 * database, then exit with 0. A second signal, or a shutdown that hangs, exits with 1.
 */
function exitOnSignals(app: INestApplication): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      process.exit(1);
    }
    closing = true;
    const logger = new Logger('ConsoleServer');
    logger.log(`${signal} received: shutting down`);
    setTimeout(() => {
      process.stderr.write(`console-users did not shut down within ${SHUTDOWN_DEADLINE_MS} ms\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.close().then(
      () => {
        logger.log('Shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`console-users shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
