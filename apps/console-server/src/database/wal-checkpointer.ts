import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies the WAL into the database file. */
export const WAL_CHECKPOINT_INTERVAL_MS = 250;

/**
 * The thread starts this long after the connection opens: a thread (an isolate and its own
 * load of the driver) started during boot competes with boot for the CPU. Until then SQLite
 * checkpoints as it does by default.
 */
const CHECKPOINTER_START_AFTER_MS = 2_000;

/** SQLite's own default: a checkpoint once the WAL holds this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** The part of a better-sqlite3 connection this needs. */
export interface SqliteConnection {
  /** The database file's path. */
  readonly name: string;
  readonly open: boolean;
  pragma(source: string): unknown;
  close(): unknown;
}

/**
 * Runs in a worker thread with a connection of its own. A PASSIVE checkpoint never waits for and
 * never blocks the server's readers or its writer; it copies what the WAL holds up to the oldest
 * snapshot in use.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const failed = (error) => parentPort.postMessage({ failed: String((error && error.message) || error) });
let db;
try {
  db = new (require(workerData.driver))(workerData.file, { fileMustExist: true });
} catch (error) {
  failed(error);
}
if (db) {
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      clearInterval(timer);
      failed(error);
    }
  }, workerData.intervalMs);
  parentPort.on('message', () => {
    clearInterval(timer);
    try {
      db.close();
    } catch {}
    parentPort.close();
  });
}
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. SQLite checkpoints inside the commit that
 * fills the WAL past 1 000 pages, and with `synchronous = NORMAL` a checkpoint syncs the WAL and
 * the database file: 6–15 ms on the benchmark machine, every hundred or so sends of a code, with
 * the whole event loop (every request in flight) waiting behind it. Here the server's connection
 * does not checkpoint; a connection in a worker thread does, every
 * {@link WAL_CHECKPOINT_INTERVAL_MS}, from {@link CHECKPOINTER_START_AFTER_MS} after the
 * connection opens. If that thread cannot work (the file cannot be opened, a checkpoint fails, the
 * thread ends) the server's connection checkpoints by itself again, as SQLite does by default, and
 * one warning says so. Closing the connection stops the thread.
 */
export function checkpointInBackground(
  db: SqliteConnection,
  logger: Pick<Logger, 'warn'> = new Logger('Database'),
  startAfterMs = CHECKPOINTER_START_AFTER_MS,
): void {
  const close = db.close.bind(db);
  let stop = () => clearTimeout(starting);
  // TypeORM closes the connection on destroy(); the thread ends with it.
  Object.defineProperty(db, 'close', {
    configurable: true,
    value: () => {
      stop();
      return close();
    },
  });
  const starting = setTimeout(() => {
    if (!db.open) {
      return;
    }
    const worker = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: db.name, intervalMs: WAL_CHECKPOINT_INTERVAL_MS },
    });
    worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    let stopped = false;
    stop = () => {
      if (!stopped) {
        stopped = true;
        worker.postMessage('stop');
      }
    };
    const checkpointHere = (reason: string) => {
      if (stopped) {
        return;
      }
      stopped = true;
      void worker.terminate();
      if (db.open) {
        db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
        logger.warn(`SQLite checkpoints run on the request thread again: the background checkpointer stopped (${reason})`);
      }
    };
    worker.on('message', (message: { failed?: string }) => checkpointHere(message.failed ?? 'unknown message'));
    worker.on('error', (error) => checkpointHere(error.message));
    worker.on('exit', (code) => checkpointHere(`its thread ended with code ${code}`));
  }, startAfterMs);
  starting.unref();
}
