import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { operatorSetV8Flag } from './operator-v8-flags';

/** How often the server looks whether it has gone quiet. */
const CHECK_EVERY_MS = 5_000;

/**
 * Event-loop utilisation of a whole check interval at or below which the server counts as quiet.
 * An idle server measures 0.2–0.5 % (its timers), a few hundred requests a second several percent.
 */
const QUIET_UTILIZATION = 0.02;

/**
 * Quiet checks in a row before a trim. V8 shrinks its young generation only when its own estimate
 * of the allocation rate is low, and that estimate spans the last 5 s between its collections: a
 * trim after one quiet interval still saw the load's rate and left the young generation at 32 MB.
 */
const QUIET_CHECKS = 2;

/** Growth of V8's heap since the last trim (or boot) that makes a trim worth its pause. */
const MIN_GROWTH_BYTES = 8 * 1024 * 1024;

/** What the trim needs from V8; a fake in unit tests. */
export interface HeapControl {
  /** Bytes V8 holds for its heap (what it took from the system, not what is in use). */
  committedBytes(): number;
  /**
   * Collects everything unreachable and hands the freed memory back to the system, asking
   * `stillQuiet` after each collection and stopping at the first "no". Resolves true when a "no"
   * came (requests arrived while it ran), see {@link collectUntilSettled}.
   */
  giveBack(stillQuiet: () => Promise<boolean>): Promise<boolean>;
}

/** V8's `gc()` with its options object (a full or young collection, run as a task). */
type V8Collector = (options: { type: 'major' | 'minor'; execution: 'async' }) => Promise<void>;

/**
 * V8's collector without `--expose-gc` on the command line: the flag is switched on just long
 * enough to create one context that has `gc`, then off again, so no other context gets it. An
 * operator's own `--expose-gc` is used as it is. Undefined when this V8 offers neither.
 */
function v8Collector(): V8Collector | undefined {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') {
    return own as V8Collector;
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as V8Collector) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** Full collections at most per trim: each compacts only part of a fragmented old generation. */
const MAX_FULL_COLLECTIONS = 5;

/** A full collection that freed less than this is the last one of a trim. */
const STILL_SHRINKING_BYTES = 1024 * 1024;

/**
 * Full collections until one frees less than {@link STILL_SHRINKING_BYTES} (at most
 * {@link MAX_FULL_COLLECTIONS}), then one young collection. After each full collection it asks
 * `stillQuiet`: each stops the world for tens of milliseconds, which requests arriving now would
 * wait through, so when requests have come it stops there (the young collection too: V8 shrinks
 * the young generation itself later). True when requests came while it ran: it stopped early, or
 * they came during the young collection (asked once more at the end, so that "false" means no
 * request at all arrived before it returned).
 */
export async function collectUntilSettled(
  gc: V8Collector,
  committedBytes: () => number,
  stillQuiet: () => Promise<boolean>,
): Promise<boolean> {
  let held = committedBytes();
  for (let i = 0; i < MAX_FULL_COLLECTIONS; i++) {
    // `async`: each runs as a task of its own, so requests arriving meanwhile are served between them.
    await gc({ type: 'major', execution: 'async' });
    const now = committedBytes();
    const settled = held - now < STILL_SHRINKING_BYTES;
    held = now;
    if (!(await stillQuiet())) {
      return true;
    }
    if (settled) {
      break;
    }
  }
  // The young collection is the one at which V8 shrinks a grown young generation back to its
  // starting size, once its estimate of the allocation rate is low (hence two quiet checks).
  await gc({ type: 'minor', execution: 'async' });
  return !(await stillQuiet());
}

/** The heap of this process, or undefined when its collector cannot be reached. */
export function v8HeapControl(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): HeapControl | undefined {
  const gc = v8Collector();
  if (!gc) {
    return undefined;
  }
  const committedBytes = () => getHeapStatistics().total_heap_size;
  // An operator's own `--optimize-for-size` (or `--no-…`) stays as they set it.
  const toggleOptimizeForSize = !operatorSetV8Flag(['optimize-for-size'], execArgv, nodeOptions);
  return {
    committedBytes,
    giveBack: async (stillQuiet) => {
      // A plain full collection frees garbage but moves few objects, so pages that hold a little
      // live data stay (measured: 86 MB held for 18 MB live). While V8 is told to optimise for
      // size it compacts such pages, a part per collection: repeated until one frees less than
      // 1 MB (measured: 86 MB → 19 MB in two). Switched back at once: the flag also steers the
      // compiler and heap growth, which a busy server wants at their defaults.
      if (toggleOptimizeForSize) {
        setFlagsFromString('--optimize-for-size');
      }
      try {
        return await collectUntilSettled(gc, committedBytes, stillQuiet);
      } finally {
        if (toggleOptimizeForSize) {
          setFlagsFromString('--no-optimize-for-size');
        }
      }
    },
  };
}

/** What a trim asks between its collections, and lets go of when it ends. */
export interface RequestWatch {
  /** False once a request has arrived since the watch began. */
  stillQuiet(): Promise<boolean>;
  stop(): void;
}

/**
 * Watches `server` (Node's HTTP server: it emits `request` for every request) for the length of
 * one trim: a listener only while a trim runs, so requests outside trims pay nothing for it.
 */
export function requestWatch(server: EventEmitter): () => RequestWatch {
  return () => {
    let arrived = false;
    const onRequest = (): void => {
      arrived = true;
    };
    server.on('request', onRequest);
    return {
      // After setImmediate: requests that came in during a collection have been read by then
      // (the loop's poll phase runs before its check phase).
      stillQuiet: () => new Promise((resolve) => setImmediate(() => resolve(!arrived))),
      stop: () => {
        server.off('request', onRequest);
      },
    };
  };
}

/** No server to watch: nothing ever interrupts a trim. */
const NO_REQUEST_WATCH = (): RequestWatch => ({ stillQuiet: async () => true, stop: () => undefined });

/** The event loop's busy share since the previous call (0 to 1). */
function loopUtilizationSinceLastCall(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

export interface IdleMemoryTrimOptions {
  checkEveryMs?: number;
  quietUtilization?: number;
  quietChecks?: number;
  minGrowthBytes?: number;
  /**
   * Started with each trim, asked between its full collections whether requests have arrived
   * ({@link requestWatch} of the HTTP server). Without one a trim runs to its end.
   */
  watchRequests?: () => RequestWatch;
  /** Told that a trim starts (bytes of heap V8 holds). */
  onTrimStart?: (before: number) => void;
  /**
   * Told what a trim gave back (bytes of heap V8 held before and after); `interrupted` when
   * requests arrived while it ran and it stopped there (the rest is handed back in the next quiet spell).
   */
  onTrim?: (before: number, after: number, interrupted: boolean) => void;
  /** Told the heap's size growth is measured from, at {@link IdleMemoryTrim.start}. */
  onStart?: (baseline: number) => void;
  /** Told when a trim failed; the server goes on. */
  onError?: (error: unknown) => void;
}

/**
 * Hands memory back to the system when the server goes quiet after a busy spell.
 *
 * Why: under load V8 grows its young generation to 2 × 16 MB and lets the old generation fill
 * with promoted garbage, and it gives both back only when its memory reducer runs. That depends
 * on its own timers and allocation estimates: measured on the built server after the 1 M-user
 * list benchmark on PostgreSQL, the reducer had not run 30 s after the load ended and the server
 * still held 248 MB (≈ 130 MB of heap, most of it garbage). So the server looks every
 * {@link CHECK_EVERY_MS}: once two whole intervals in a row were quiet (event loop busy ≤ 2 %)
 * and the heap has grown by 8 MB or more since the last trim, it runs compacting full
 * collections (see {@link v8HeapControl}) and one young collection (tens of
 * milliseconds each, on a quiet server, with requests served in between; when requests arrive
 * it stops after the collection under way, see {@link collectUntilSettled}). A steady load never
 * triggers it, and a quiet server is trimmed once, not on every check.
 */
export class IdleMemoryTrim {
  private readonly checkEveryMs: number;
  private readonly quietUtilization: number;
  private readonly quietChecks: number;
  private readonly minGrowthBytes: number;
  private readonly watchRequests: () => RequestWatch;
  private quietInARow = 0;
  private timer: NodeJS.Timeout | undefined;
  private baseline = 0;
  private trimming = false;

  constructor(
    private readonly heap: HeapControl,
    private readonly utilization: () => number = loopUtilizationSinceLastCall(),
    private readonly options: IdleMemoryTrimOptions = {},
  ) {
    this.checkEveryMs = options.checkEveryMs ?? CHECK_EVERY_MS;
    this.quietUtilization = options.quietUtilization ?? QUIET_UTILIZATION;
    this.quietChecks = options.quietChecks ?? QUIET_CHECKS;
    this.minGrowthBytes = options.minGrowthBytes ?? MIN_GROWTH_BYTES;
    this.watchRequests = options.watchRequests ?? NO_REQUEST_WATCH;
  }

  /** Starts looking; the heap as it is now is the size growth is measured from. */
  start(): void {
    this.baseline = this.heap.committedBytes();
    this.options.onStart?.(this.baseline);
    this.utilization();
    // Unref'd: the trim never keeps a process alive that has nothing else to do.
    this.timer = setInterval(() => void this.check(), this.checkEveryMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look: trims when the last {@link QUIET_CHECKS} intervals were quiet and the heap has grown. True when it trimmed. */
  async check(): Promise<boolean> {
    const quiet = this.utilization() <= this.quietUtilization;
    this.quietInARow = quiet ? this.quietInARow + 1 : 0;
    if (this.trimming) {
      return false;
    }
    const before = this.heap.committedBytes();
    if (this.quietInARow < this.quietChecks || before - this.baseline < this.minGrowthBytes) {
      // Shrinking on its own (V8's reducer ran) lowers the mark too.
      this.baseline = Math.min(this.baseline, before);
      return false;
    }
    this.trimming = true;
    this.options.onTrimStart?.(before);
    const watch = this.watchRequests();
    try {
      const interrupted = await this.heap.giveBack(() => watch.stillQuiet());
      const after = this.heap.committedBytes();
      if (interrupted) {
        // Requests arrived: not quiet any more. The mark stays where it was (unless the trim
        // already went below it), so what the trim did not reach still counts as growth and is
        // handed back in the next quiet spell.
        this.quietInARow = 0;
        this.baseline = Math.min(this.baseline, after);
      } else {
        this.baseline = after;
      }
      this.options.onTrim?.(before, after, interrupted);
      return true;
    } catch (error) {
      this.options.onError?.(error);
      return false;
    } finally {
      watch.stop();
      this.trimming = false;
    }
  }
}
