import { writeSync } from 'node:fs';

/** What is held for an output nobody reads before lines are dropped (and counted): 16 MiB. */
export const DEFAULT_MAX_HELD_BYTES = 16 * 1024 * 1024;

/** How soon a write the descriptor refused (`EAGAIN`: a full pipe) is tried again. */
const RETRY_MS = 10;

/** How long the exit handler waits, at most, for a full pipe to take the last lines. */
const EXIT_WAIT_MS = 2_000;

/** Every writer, so the one exit handler writes what each still holds. */
const writers = new Set<BatchedLineWriter>();

function flushAllOnExit(): void {
  for (const writer of writers) {
    writer.flushSync();
  }
}

export interface BatchedLineWriterOptions {
  /** Bytes held at most while the output refuses them; later lines are dropped and counted. */
  maxHeldBytes?: number;
  /** The line that says, once the output takes lines again, how many were dropped. */
  droppedNotice: (count: number) => string;
  /** Where a failing output is reported, once (the log cannot say it). */
  reportFailure?: (error: NodeJS.ErrnoException) => void;
}

/**
 * The server's log lines on a file descriptor (stdout): the lines logged during one turn of the
 * event loop go out together in one `write`, made from `setImmediate`, after the requests that
 * logged them have been answered. A line costs an array push; under load one write carries
 * hundreds of lines.
 *
 * Writes are synchronous, so nothing is ever half-written when the process exits: the exit
 * handler writes what is left, and a line logged just before `process.exit()` is not lost. A
 * pipe that is full (`EAGAIN`) is tried again a little later without blocking the event loop;
 * while it stays full, lines are held up to {@link BatchedLineWriterOptions.maxHeldBytes} and the
 * rest dropped, and the first write that succeeds again starts with a line saying how many.
 *
 * It replaces pino's own asynchronous destination, which re-measured its whole pending buffer
 * for every line written (`Buffer.byteLength` on a string that grows to 16 KiB): the largest
 * single cost of the request log under load.
 */
export class BatchedLineWriter {
  private lines: string[] = [];
  /** Length of {@link lines} in UTF-16 units: bytes for the ASCII of log lines, an estimate otherwise. */
  private linesLength = 0;
  /** Bytes of a batch the descriptor has not taken yet (a partial write or a refusal). */
  private unwritten: Buffer | undefined;
  private dropped = 0;
  private scheduled = false;
  private failed = false;
  private readonly maxHeldBytes: number;
  private readonly drainNow = (): void => this.drain();

  constructor(
    private readonly fd: number,
    private readonly options: BatchedLineWriterOptions,
  ) {
    this.maxHeldBytes = options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
    if (writers.size === 0) {
      process.on('exit', flushAllOnExit);
    }
    writers.add(this);
  }

  /** Takes one line (pino's destination interface); it is written after this turn of the loop. */
  write(line: string): boolean {
    if (this.failed) {
      return true;
    }
    if (this.linesLength + line.length + (this.unwritten?.length ?? 0) > this.maxHeldBytes) {
      this.dropped++;
      return true;
    }
    this.lines.push(line);
    this.linesLength += line.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drainNow);
    }
    return true;
  }

  /** Writes what is held now, waiting a bounded time for a full pipe (pino's `logger.flush`). */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  /** Writes everything held before returning; gives up after {@link EXIT_WAIT_MS} of a full pipe. */
  flushSync(): void {
    const deadline = Date.now() + EXIT_WAIT_MS;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!this.writeHeld() && Date.now() < deadline) {
      Atomics.wait(pause, 0, 0, 1);
    }
  }

  /** Stops taking part in the exit handler (after a last flush). */
  close(): void {
    this.flushSync();
    writers.delete(this);
    if (writers.size === 0) {
      process.removeListener('exit', flushAllOnExit);
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (!this.writeHeld()) {
      this.scheduled = true;
      // A full pipe: try again soon, without holding the process open for it (exit writes the rest).
      setTimeout(this.drainNow, RETRY_MS).unref();
    }
  }

  /** Writes the held lines, oldest first; false when the descriptor refused some of them for now. */
  private writeHeld(): boolean {
    while (!this.failed && (this.unwritten || this.lines.length > 0 || this.dropped > 0)) {
      if (!this.unwritten) {
        const notice = this.dropped > 0 ? this.options.droppedNotice(this.dropped) : '';
        this.dropped = 0;
        this.unwritten = Buffer.from(notice + this.lines.join(''));
        this.lines = [];
        this.linesLength = 0;
      }
      try {
        while (this.unwritten.length > 0) {
          this.unwritten = this.unwritten.subarray(writeSync(this.fd, this.unwritten));
        }
        this.unwritten = undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          return false;
        }
        // A closed or broken output: nothing more can be written to it, and the server goes on.
        this.failed = true;
        this.unwritten = undefined;
        this.lines = [];
        this.linesLength = 0;
        this.options.reportFailure?.(error as NodeJS.ErrnoException);
      }
    }
    return true;
  }
}
