import { parseStringArray } from '../common/json-map';
import type { PolicyRule } from './role.entity';
import type { RequestInfo } from './request-info';
import { RbacKeys, RoleNames } from './rbac-labels';

/** The fields of a role the graph needs. */
export interface RoleNode {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  rules: PolicyRule[];
  version?: number;
  createdAt?: Date;
}

/** Distinct role sets whose expansion a snapshot remembers (far more than real callers have). */
const MAX_REMEMBERED_EXPANSIONS = 1_000;

/**
 * An immutable snapshot of every role: expands dependencies and aggregation (hidden roles
 * included, as Halo's authorization does) and matches rules.
 */
export class RoleGraph {
  private readonly byName = new Map<string, RoleNode>();
  private readonly aggregatedInto = new Map<string, string[]>();
  /** Each role's declared dependencies, parsed once (the annotation is a JSON array). */
  private readonly dependsOn = new Map<string, string[]>();
  /**
   * Expansions already computed, by the role names asked for: every request expands its caller's
   * roles, and a snapshot never changes. Bounded, since names come from callers.
   */
  private readonly expansions = new Map<string, ReadonlySet<string>>();
  /**
   * The same, by the frozen array asked with (a cached caller's roles, which cannot change): it
   * comes with every request of that caller, and finding it spares joining its names into a key.
   * Arrays are only remembered while something else holds them.
   */
  private readonly expansionsOfArrays = new WeakMap<readonly string[], ReadonlySet<string>>();

  constructor(roles: readonly RoleNode[]) {
    for (const role of roles) {
      this.byName.set(role.name, role);
      this.dependsOn.set(role.name, parseStringArray(role.annotations[RbacKeys.dependencies]));
      for (const [key, value] of Object.entries(role.labels)) {
        if (key.startsWith(RbacKeys.aggregateToPrefix) && value === 'true') {
          const target = key.slice(RbacKeys.aggregateToPrefix.length);
          this.aggregatedInto.set(target, [...(this.aggregatedInto.get(target) ?? []), role.name]);
        }
      }
    }
  }

  get(name: string): RoleNode | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  all(): RoleNode[] {
    return [...this.byName.values()];
  }

  /** The given roles plus everything they depend on or aggregate, transitively; unknown names dropped. */
  expand(names: Iterable<string>): ReadonlySet<string> {
    if (!Array.isArray(names) || !Object.isFrozen(names)) {
      return this.expandNames([...names]);
    }
    let expanded = this.expansionsOfArrays.get(names);
    if (!expanded) {
      expanded = this.expandNames([...(names as readonly string[])]);
      this.expansionsOfArrays.set(names, expanded);
    }
    return expanded;
  }

  private expandNames(queue: string[]): ReadonlySet<string> {
    const key = queue.join('\n');
    const known = this.expansions.get(key);
    if (known) {
      return known;
    }
    const seen = new Set<string>();
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (!this.byName.has(name) || seen.has(name)) {
        continue;
      }
      seen.add(name);
      queue.push(...this.dependsOn.get(name)!);
      queue.push(...(this.aggregatedInto.get(name) ?? []));
    }
    if (this.expansions.size >= MAX_REMEMBERED_EXPANSIONS) {
      this.expansions.clear();
    }
    this.expansions.set(key, seen);
    return seen;
  }

  /** True when the role, with everything it expands to, has at least one rule (`guest` has none). */
  grantsAnything(name: string): boolean {
    for (const expanded of this.expand([name])) {
      if (this.byName.get(expanded)!.rules.some((r) => r.verbs.length > 0)) {
        return true;
      }
    }
    return false;
  }

  /** True when a holder of `holderRoles` may be said to hold `role` (Halo's `RoleService.contains`). */
  contains(holderRoles: Iterable<string>, role: string): boolean {
    const expanded = this.expand(holderRoles);
    return expanded.has(RoleNames.superRole) || expanded.has(role);
  }

  /** Whether any rule of the expanded roles allows the request. */
  allows(roleNames: Iterable<string>, request: RequestInfo): boolean {
    for (const name of this.expand(roleNames)) {
      for (const r of this.byName.get(name)!.rules) {
        if (ruleAllows(r, request)) {
          return true;
        }
      }
    }
    return false;
  }
}

/** One rule against one request, as Halo's RBAC evaluation does it. */
export function ruleAllows(r: PolicyRule, request: RequestInfo): boolean {
  if (!matchesAny(r.verbs, request.verb)) {
    return false;
  }
  if (request.kind === 'non-resource') {
    return r.nonResourceURLs.some((pattern) =>
      pattern === '*' || pattern === request.path || (pattern.endsWith('*') && request.path.startsWith(pattern.slice(0, -1))),
    );
  }
  if (!matchesAny(r.apiGroups, request.apiGroup)) {
    return false;
  }
  const combined = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const resourceOk = r.resources.some(
    (res) =>
      res === '*' ||
      res === combined ||
      (request.subresource !== undefined && (res === `*/${request.subresource}` || res === `${request.resource}/*`)),
  );
  if (!resourceOk) {
    return false;
  }
  if (r.resourceNames.length === 0) {
    return true;
  }
  return request.name !== undefined && r.resourceNames.includes(request.name);
}

function matchesAny(values: string[], wanted: string): boolean {
  return values.includes('*') || values.includes(wanted);
}
