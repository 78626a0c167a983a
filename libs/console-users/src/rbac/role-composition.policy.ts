import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../auth/principal';
import { parseStringArray } from '../common/json-map';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RbacKeys, RoleNames } from './rbac-labels';
import type { RoleGraph } from './role-graph';
import type { PolicyRule } from './role.entity';

/** What a role is made of, as far as permissions go. */
export interface RoleContent {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  rules: PolicyRule[];
}

const forbidden = (detail: string) => new DomainError(ErrorCode.Forbidden, detail);

/**
 * Our tightening of Halo's role writes, the same as for granting roles: a caller may only build
 * (or change, or delete) a role out of permissions it holds itself, unless it is super-role. So
 * holding role-template-manage-roles does not lift anybody above their own permissions.
 */
@Injectable()
export class RoleCompositionPolicy {
  /** 400 for an unknown dependency; 403 unless every dependency, aggregation and rule of `content` is within the caller's own permissions. */
  assertCovers(actor: UserPrincipal, graph: RoleGraph, content: RoleContent): void {
    const dependencies = parseStringArray(content.annotations[RbacKeys.dependencies]);
    const unknown = dependencies.find((dependency) => !graph.has(dependency));
    if (unknown !== undefined) {
      // A dangling name would silently grant whatever a later role of that name holds.
      throw new DomainError(ErrorCode.BadRequest, `Role template [${unknown}] is not found.`);
    }
    if (graph.contains(actor.roles, RoleNames.superRole)) {
      return;
    }
    for (const dependency of dependencies) {
      if (!graph.contains(actor.roles, dependency)) {
        throw forbidden(`You cannot compose role template [${dependency}]: you do not hold it yourself.`);
      }
    }
    for (const key of Object.keys(content.labels)) {
      // Aggregating into a role hands these rules to everyone holding that role.
      if (key.startsWith(RbacKeys.aggregateToPrefix)) {
        throw forbidden(`Only super-role may set the label ${key}.`);
      }
    }
    for (const rule of content.rules) {
      this.assertRuleCovered(actor, graph, rule);
    }
  }

  private assertRuleCovered(actor: UserPrincipal, graph: RoleGraph, rule: PolicyRule): void {
    const everything = [...rule.apiGroups, ...rule.resources, ...rule.resourceNames, ...rule.nonResourceURLs, ...rule.verbs];
    if (everything.some((value) => value.includes('*'))) {
      throw forbidden('Only super-role may write rules with wildcards.');
    }
    for (const verb of rule.verbs) {
      for (const path of rule.nonResourceURLs) {
        if (!graph.allows(actor.roles, { kind: 'non-resource', path, verb })) {
          throw forbidden(`You cannot grant ${verb} on ${path}: you do not hold it yourself.`);
        }
      }
      for (const apiGroup of rule.apiGroups) {
        for (const combined of rule.resources) {
          const [resource, subresource] = combined.split('/', 2) as [string, string | undefined];
          const names = rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
          for (const name of names) {
            if (!graph.allows(actor.roles, { kind: 'resource', apiGroup, resource, subresource, name, verb })) {
              throw forbidden(`You cannot grant ${verb} on ${combined} (${apiGroup || 'core'}): you do not hold it yourself.`);
            }
          }
        }
      }
    }
  }
}
