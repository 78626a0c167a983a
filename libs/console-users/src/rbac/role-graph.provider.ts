import { Injectable } from '@nestjs/common';
import { RoleGraph } from './role-graph';
import { RolesRepository } from './roles.repository';

/**
 * How long a role snapshot is reused; roles change rarely and other instances catch up within it.
 * Wall-clock on purpose: this is cache freshness, not a business rule.
 */
const SNAPSHOT_TTL_MS = 5_000;

/** Hands out a cached {@link RoleGraph} so authorization costs no query per request. */
@Injectable()
export class RoleGraphProvider {
  private cached?: { graph: RoleGraph; loadedAt: number };
  private loading?: Promise<RoleGraph>;

  constructor(private readonly roles: RolesRepository) {}

  async graph(): Promise<RoleGraph> {
    const now = Date.now();
    if (this.cached && now - this.cached.loadedAt < SNAPSHOT_TTL_MS) {
      return this.cached.graph;
    }
    this.loading ??= this.roles
      .findAll()
      .then((roles) => {
        const graph = new RoleGraph(roles);
        this.cached = { graph, loadedAt: Date.now() };
        return graph;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** Drops the snapshot after a role write on this instance. */
  invalidate(): void {
    this.cached = undefined;
  }
}
