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

/**
 * An immutable snapshot of every role: expands dependencies and aggregation (hidden roles
 * included, as Halo's authorization does) and matches rules.
 */
export class RoleGraph {
  private readonly byName = new Map<string, RoleNode>();
  private readonly aggregatedInto = new Map<string, string[]>();

  constructor(roles: readonly RoleNode[]) {
    for (const role of roles) {
      this.byName.set(role.name, role);
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
  expand(names: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const queue = [...names];
    while (queue.length > 0) {
      const name = queue.pop()!;
      const role = this.byName.get(name);
      if (!role || seen.has(name)) {
        continue;
      }
      seen.add(name);
      queue.push(...parseStringArray(role.annotations[RbacKeys.dependencies]));
      queue.push(...(this.aggregatedInto.get(name) ?? []));
    }
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
