import { Injectable } from '@nestjs/common';
import { monotonicMs } from '../common/monotonic-time';
import { RoleGraph } from './role-graph';
import { RolesRepository } from './roles.repository';

/**
 * How long a role snapshot is reused; roles change rarely. Writes on this instance drop it at
 * once, and so do those of other instances when an invalidation bus (Redis) connects them;
 * otherwise other instances catch up within this time. Measured on the monotonic clock, not the
 * wall clock: a step of the system time must not keep a stale snapshot.
 */
const SNAPSHOT_TTL_MS = 5_000;

/** Hands out a cached {@link RoleGraph} so authorization costs no query per request. */
@Injectable()
export class RoleGraphProvider {
  private cached?: { graph: RoleGraph; loadedAt: number };
  private loading?: Promise<RoleGraph>;
  /** Bumped by every drop, so a load that began before it is not kept. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly roles: RolesRepository) {}

  /** The snapshot while a fresh one is cached, without waiting (what every request asks); else undefined. */
  current(): RoleGraph | undefined {
    const cached = this.cached;
    return cached && monotonicMs() - cached.loadedAt < SNAPSHOT_TTL_MS ? cached.graph : undefined;
  }

  async graph(): Promise<RoleGraph> {
    const current = this.current();
    if (current) {
      return current;
    }
    if (!this.loading) {
      const generation = this.generation;
      this.loading = this.roles
        .findAll()
        .then((roles) => {
          const graph = new RoleGraph(roles);
          if (generation === this.generation) {
            this.cached = { graph, loadedAt: monotonicMs() };
          }
          return graph;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  /** Drops the snapshot after a role write on this instance and tells the listeners (other instances, principals). */
  invalidate(): void {
    this.drop();
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** Drops the snapshot only (a role write another instance reported). */
  drop(): void {
    this.generation++;
    this.cached = undefined;
    this.loading = undefined;
  }

  /** Calls `listener` on every {@link invalidate}; returns the unsubscribe function. */
  onInvalidate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
