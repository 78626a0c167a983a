import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { isUniqueViolation } from '../database/unique-violation';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { extensionNotFound } from '../users/user-errors';
import { BUILTIN_ROLES } from './builtin-roles';
import { RbacKeys } from './rbac-labels';
import { RoleBindingsRepository } from './role-bindings.repository';
import { RoleCompositionPolicy, RoleContent } from './role-composition.policy';
import { RoleGraphProvider } from './role-graph.provider';
import type { PolicyRule } from './role.entity';
import type { RoleDraft } from './role-draft';
import { RolesRepository } from './roles.repository';
import { Role, toRole } from './roles.service';

/** A role just deleted, and when: faces that answer the deleted object stamp it with this. */
export interface DeletedRole extends Role {
  deletedAt: Date;
}

/** Names the server seeds: never written or deleted through the API (they come back at every boot anyway). */
const BUILTIN_NAMES = new Set(BUILTIN_ROLES.map((role) => role.name));

/** Kubernetes/Halo object names: DNS-1123 subdomain. */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RULE_FIELDS = ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs'] as const;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const badRequest = (detail: string) => new DomainError(ErrorCode.BadRequest, detail);

/**
 * Role writes (Halo's `POST`/`PUT`/`DELETE /api/v1alpha1/roles` translate into these). Built-in roles and
 * templates are read-only; a caller composes roles only out of what it holds (see
 * {@link RoleCompositionPolicy}); updates are optimistic on the draft's `version`; deleting a role
 * removes its bindings, so a later role of the same name grants nobody anything by accident.
 */
@Injectable()
export class RoleWritesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
    private readonly policy: RoleCompositionPolicy,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: UserPrincipal, body: RoleDraft, ip: string): Promise<Role> {
    const name = this.nameFor(body);
    const content = contentOf(body);
    assertNotBuiltin(name, 'created');
    this.policy.assertCovers(actor, await this.roleGraph.graph(), content);
    const now = this.clock.now();
    try {
      const role = await this.tx.run(async (manager) => {
        const created = await this.roles.insert(manager, { name, ...content, version: 0, createdAt: now });
        await this.audit.record({ actor: actor.name, action: 'role.create', target: name, ip, outcome: 'success' }, manager);
        return created;
      });
      return toRole(role);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.DuplicateName, `The role ${name} already exists, please rename it and retry.`);
      }
      throw error;
    } finally {
      this.roleGraph.invalidate();
    }
  }

  async update(actor: UserPrincipal, name: string, body: RoleDraft, ip: string): Promise<Role> {
    if (body.name !== undefined && body.name !== '' && body.name !== name) {
      throw badRequest(`metadata.name (${body.name}) does not match the path (${name}).`);
    }
    assertNotBuiltin(name, 'changed');
    const content = contentOf(body);
    const graph = await this.roleGraph.graph();
    try {
      return await this.tx.run(async (manager) => {
        const current = await this.roles.findByNameIn(manager, name);
        if (!current) {
          throw extensionNotFound('Role', name);
        }
        // Taking permissions away from a role's holders is as strong as giving them: both need them.
        this.policy.assertCovers(actor, graph, current);
        this.policy.assertCovers(actor, graph, content);
        const version = body.version ?? current.version;
        if (version !== current.version || !(await this.roles.updateAtVersion(manager, current.id, version, content))) {
          throw new DomainError(ErrorCode.Conflict, `The role ${name} was changed by someone else (version ${current.version}); reload it and retry.`);
        }
        await this.audit.record({ actor: actor.name, action: 'role.update', target: name, ip, outcome: 'success' }, manager);
        return toRole({ ...current, ...content, version: current.version + 1 });
      });
    } finally {
      this.roleGraph.invalidate();
    }
  }

  async delete(actor: UserPrincipal, name: string, ip: string): Promise<DeletedRole> {
    assertNotBuiltin(name, 'deleted');
    const graph = await this.roleGraph.graph();
    try {
      return await this.tx.run(async (manager) => {
        const current = await this.roles.findByNameIn(manager, name);
        if (!current) {
          throw extensionNotFound('Role', name);
        }
        this.policy.assertCovers(actor, graph, current);
        const holders = await this.bindings.deleteAllToRole(manager, name);
        await this.roles.delete(manager, current.id);
        await this.audit.record(
          { actor: actor.name, action: 'role.delete', target: name, ip, outcome: 'success', details: holders.length > 0 ? { holders: holders.join(',') } : {} },
          manager,
        );
        return { ...toRole(current), deletedAt: this.clock.now() };
      });
    } finally {
      this.roleGraph.invalidate();
    }
  }

  /** `metadata.name`, else `generateName` plus five random characters (as Halo names generated objects). */
  private nameFor(body: RoleDraft): string {
    const given = body.name?.trim() ?? '';
    const prefix = body.generateName?.trim() ?? '';
    if (given === '' && prefix === '') {
      throw badRequest('metadata.name or metadata.generateName is required.');
    }
    let name = given;
    if (name === '') {
      name = prefix;
      for (let i = 0; i < 5; i++) {
        name += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
      }
    }
    if (name.length > 253 || !NAME.test(name)) {
      throw badRequest(`Invalid role name "${name}": lower-case letters, digits, "-" and "." (at most 253).`);
    }
    return name;
  }
}

function assertNotBuiltin(name: string, what: 'created' | 'changed' | 'deleted'): void {
  if (BUILTIN_NAMES.has(name)) {
    throw new DomainError(
      what === 'created' ? ErrorCode.DuplicateName : ErrorCode.Forbidden,
      what === 'created' ? `The role ${name} already exists (built-in).` : `The built-in role ${name} can't be ${what}.`,
    );
  }
}

/** Labels, annotations and rules of a draft, checked field by field. */
function contentOf(body: RoleDraft): RoleContent {
  const labels = { ...body.labels };
  if (labels[RbacKeys.systemReserved] !== undefined) {
    throw new DomainError(ErrorCode.Forbidden, `The label ${RbacKeys.systemReserved} is reserved for built-in roles.`);
  }
  const annotations = { ...body.annotations };
  const dependencies = annotations[RbacKeys.dependencies];
  if (dependencies !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(dependencies);
    } catch {
      parsed = null;
    }
    if (!Array.isArray(parsed) || !parsed.every((d) => typeof d === 'string')) {
      throw badRequest(`The annotation ${RbacKeys.dependencies} must be a JSON array of role names.`);
    }
  }
  return { labels, annotations, rules: body.rules.map(ruleOf) };
}

function ruleOf(raw: unknown, index: number): PolicyRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw badRequest(`rules[${index}] must be an object.`);
  }
  const rule = {} as PolicyRule;
  for (const field of RULE_FIELDS) {
    const value = (raw as Record<string, unknown>)[field] ?? [];
    if (!Array.isArray(value) || value.length > 100 || !value.every((v) => typeof v === 'string' && v.length <= 253)) {
      throw badRequest(`rules[${index}].${field} must be an array of strings.`);
    }
    rule[field] = [...value] as string[];
  }
  return rule;
}
