import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { monotonicMs } from '../common/monotonic-time';
import { runSql } from '../database/sql';
import { excludedNamesOnly, isDefaultOrder, UserListCriteria } from './user-list-criteria';

/** Rows between two page anchors of the console's default list. */
const DEFAULT_ANCHOR_STEP = 1000;

/** Least time between two rebuilds of one anchor set (monotonic clock). */
const DEFAULT_ANCHOR_REBUILD_INTERVAL_MS = 10_000;

/** Anchor sets kept (one per set of excluded names; the console always sends the same one). */
const MAX_ANCHOR_SETS = 8;

/** Order keys of every `step`-th row of one list, labelled with the change counter they match. */
interface PageAnchors {
  changes: number;
  step: number;
  keys: { createdAt: number; name: string }[];
}

/** The order key of the row at `position`. */
interface PageAnchor {
  createdAt: number;
  name: string;
  position: number;
}

/**
 * Page anchors of the console's default user list: the order keys of every `step`-th row, so a
 * deep page starts its index walk near its first row. Rebuilt off the request path, at most once
 * per interval, and used only while the users' change counter has not moved.
 */
export class PageAnchorCache {
  private readonly logger = new Logger('UsersRepository');

  /** Page anchors per filter, valid while the users' change counter has not moved. */
  private readonly anchors = new Map<string, PageAnchors>();

  /** Anchor sets being computed in the background, per filter. */
  private readonly rebuilding = new Map<string, Promise<void>>();

  /** When each filter's anchors were last (re)built, on the monotonic clock ({@link monotonicMs}). */
  private readonly rebuiltAt = new Map<string, number>();

  /** Rows between two page anchors; smaller in tests so a few hundred users exercise them. */
  step = DEFAULT_ANCHOR_STEP;

  /**
   * Least time between two rebuilds of one anchor set, so a steady stream of writes costs at most
   * one index pass per interval; deep pages in between take the plain path. 0 in tests.
   */
  rebuildIntervalMs = DEFAULT_ANCHOR_REBUILD_INTERVAL_MS;

  constructor(private readonly db: DataSource) {}

  /**
   * The nearest anchor at or before `offset` for a list in Halo's default order that only excludes
   * names (the console's own list), or undefined for other lists. Anchors are the order keys of
   * every `anchorStep`-th row, computed in one pass and reused until `change_count` moves, so a
   * deep page walks at most `anchorStep` index entries.
   */
  async anchorFor(
    criteria: UserListCriteria,
    offset: number,
    counter: () => Promise<{ changes: number }>,
  ): Promise<PageAnchor | undefined> {
    const excluded = excludedNamesOnly(criteria);
    if (!excluded || criteria.role !== undefined || !isDefaultOrder(criteria.sort)) {
      return undefined;
    }
    const { changes } = await counter();
    if (Number.isNaN(changes)) {
      return undefined;
    }
    const key = JSON.stringify([...excluded].sort());
    const cached = this.anchors.get(key);
    if (!cached || cached.changes !== changes || cached.step !== this.step) {
      // Stale or missing: this request walks without anchors (at most half the list) while the
      // anchors are rebuilt off the request path.
      this.scheduleRebuild(key, excluded, changes);
      return undefined;
    }
    const index = Math.floor(offset / cached.step);
    const found = cached.keys[index];
    return found ? { ...found, position: index * cached.step } : undefined;
  }

  /** Waits for anchor rebuilds in progress (tests and benchmarks use it to reach a steady state). */
  async settle(): Promise<void> {
    await Promise.all(this.rebuilding.values());
  }

  private scheduleRebuild(key: string, excluded: string[], changes: number): void {
    const last = this.rebuiltAt.get(key);
    if (this.rebuilding.has(key) || (last !== undefined && monotonicMs() - last < this.rebuildIntervalMs)) {
      return;
    }
    this.rebuiltAt.set(key, monotonicMs());
    const step = this.step;
    const rebuild = this.computeAnchors(excluded, step)
      .then((keys) => {
        // `changes` was read before the anchors: if a write slipped in between, the anchors are
        // newer than their label and are merely rebuilt once more, never used stale.
        if (this.anchors.size >= MAX_ANCHOR_SETS && !this.anchors.has(key)) {
          this.anchors.delete(this.anchors.keys().next().value!);
        }
        this.anchors.set(key, { changes, step, keys });
      })
      .catch((error: unknown) => this.logger.warn(`Page anchors not rebuilt: ${(error as Error).message}`))
      .finally(() => this.rebuilding.delete(key));
    this.rebuilding.set(key, rebuild);
  }

  private async computeAnchors(excluded: string[], step: number): Promise<{ createdAt: number; name: string }[]> {
    const exclusion = excluded.length > 0 ? 'WHERE u.name NOT IN (:...excluded)' : '';
    const rows = await runSql<{ created_at: string | number; name: string }>(
      this.db,
      `SELECT ranked.created_at, ranked.name FROM (
         SELECT u.created_at, u.name, ROW_NUMBER() OVER (ORDER BY u.created_at DESC, u.name ASC) AS position
           FROM users u ${exclusion}
       ) ranked WHERE (ranked.position - 1) % :step = 0 ORDER BY ranked.position`,
      { excluded, step },
    );
    return rows.map((row) => ({ createdAt: Number(row.created_at), name: row.name }));
  }
}
