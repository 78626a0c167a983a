import { Logger } from '@nestjs/common';
import type PgModule from 'pg';
import { isDependencyOutage } from '../console-users';
import { CircuitBreaker } from './circuit-breaker';

/** SQLSTATEs that are a 503 for the request but say nothing about the server being away. */
const SLOW_NOT_DOWN = new Set(['57014', '55P03']); // statement_timeout, lock_timeout

/**
 * 57P01 ends one backend: `pg_terminate_backend`, an idle-session limit, a pooler or an operator
 * cleaning up. Only that connection is lost, so it fails the request on it (a 503) but does not
 * open the circuit: the pool replaces the client. A server that is really going away refuses the
 * connections that follow, and those open it.
 */
const ONE_BACKEND_ENDED = '57P01';

const endsOneBackend = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === ONE_BACKEND_ENDED;

/** True when a pg error means the server cannot be reached (opens the circuit). */
export function meansUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isDependencyOutage(error) && !(typeof code === 'string' && SLOW_NOT_DOWN.has(code));
}

type Callback = (...args: unknown[]) => void;

/**
 * The `pg` module as TypeORM's `driver` option, with two changes:
 * - its Pool refuses a checkout at once while the breaker is open, so requests answer 503 at
 *   once instead of queueing for a connection to a database known to be down;
 * - its Client tells the breaker about every answer and every "unreachable" failure, and drops
 *   its socket after a client-side query timeout (a frozen server never answers the query, and
 *   a client left waiting would block the next query sent on it).
 */
export function guardedPg(breaker: CircuitBreaker): typeof PgModule {
  // Loaded here, not at import: a server on SQLite never needs pg.
  const pg = require('pg') as typeof PgModule;
  /** Clients whose backend was ended: what else fails on them (the rollback after) is about that client only. */
  const ended = new WeakSet<PgModule.Client>();
  const observe = (client: PgModule.Client, error: unknown, startedAt: number): void => {
    if (!error) {
      breaker.succeeded(startedAt);
      return;
    }
    if (endsOneBackend(error)) {
      ended.add(client);
    } else if (!ended.has(client) && meansUnreachable(error)) {
      breaker.failed(describe(error), startedAt);
    }
    if (error instanceof Error && error.message.startsWith('Query read timeout')) {
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    }
  };

  class GuardedClient extends pg.Client {
    constructor(config?: string | PgModule.ClientConfig) {
      super(config);
      // pg emits 'error' on a client when its server ends the connection between queries
      // (a restart or pg_terminate_backend sends FATAL 57P01). Whoever holds the client listens
      // (the pool while it is idle, TypeORM while a query runner has it), but there is a gap:
      // the pool removes its listener when it hands the client out, and TypeORM adds its own
      // only a few microtasks later. A FATAL read in that gap, in the same socket chunk as the
      // "ready" that completed the checkout, found no listener and crashed the process. Queries
      // on the client still fail ("not queryable") and the pool drops it on release. A 57P01 read
      // here marks the client, so those failures do not open the circuit; any other error
      // reaches the breaker through them.
      this.on('error', (error: unknown) => {
        if (endsOneBackend(error)) {
          ended.add(this);
        }
      });
    }

    override connect(...args: unknown[]): never {
      return track(this, (pg.Client.prototype.connect as (...a: unknown[]) => unknown).bind(this), args) as never;
    }

    override query(...args: unknown[]): never {
      return track(this, (pg.Client.prototype.query as (...a: unknown[]) => unknown).bind(this), args) as never;
    }
  }

  /** Calls `call` and reports its outcome, callback or promise style, without changing it. */
  function track(client: PgModule.Client, call: (...a: unknown[]) => unknown, args: unknown[]): unknown {
    const startedAt = breaker.callStarts();
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as Callback;
      return call(...args.slice(0, -1), (error: unknown, ...rest: unknown[]) => {
        observe(client, error, startedAt);
        callback(error, ...rest);
      });
    }
    const result = call(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => observe(client, undefined, startedAt),
        (error: unknown) => observe(client, error, startedAt),
      );
    }
    return result;
  }

  class GuardedPool extends pg.Pool {
    constructor(options: PgModule.PoolConfig = {}) {
      super({ ...options, Client: GuardedClient });
    }

    override connect(...args: unknown[]): never {
      const refusal = breaker.refusal();
      const callback = args[0] as Callback | undefined;
      if (refusal) {
        if (typeof callback === 'function') {
          process.nextTick(() => callback(refusal));
          return undefined as never;
        }
        return Promise.reject(refusal) as never;
      }
      return (pg.Pool.prototype.connect as (...a: unknown[]) => unknown).apply(this, args) as never;
    }
  }

  // Everything else (types, defaults, escapeLiteral…) is pg's own.
  return { ...pg, Pool: GuardedPool, Client: GuardedClient } as typeof PgModule;
}

/** A content-free reason for the log: the error code and its first line. */
export function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0]!.slice(0, 200) : String(error);
  return `${code}${message}`;
}

/** Logs the breaker's state changes: one line when the database goes away, one when it is back. */
export function loggingCircuitListener(logger = new Logger('Database')): { opened(reason: string): void; closed(downForMs: number): void } {
  return {
    opened: (reason) => logger.warn(`Database unreachable (${reason}): answering 503 with Retry-After until it answers again`),
    closed: (downForMs) => logger.log(`Database reachable again after ${Math.round(downForMs / 100) / 10} s`),
  };
}
