import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_ROLES, rule } from './builtin-roles';
import { ApiGroups, RbacKeys } from './rbac-labels';
import type { RequestInfo } from './request-info';
import { RoleGraph, RoleNode, ruleAllows } from './role-graph';

const consoleGroup = ApiGroups.console;

function request(partial: Partial<Extract<RequestInfo, { kind: 'resource' }>>): RequestInfo {
  return { kind: 'resource', apiGroup: consoleGroup, resource: 'users', verb: 'get', ...partial };
}

function role(name: string, extra: Partial<RoleNode> = {}): RoleNode {
  return { name, labels: {}, annotations: {}, rules: [], ...extra };
}

describe('ruleAllows', () => {
  describe('verbs', () => {
    const sut = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['get', 'list'] });

    it('allows a listed verb and refuses the others', () => {
      assert.equal(ruleAllows(sut, request({ verb: 'get', name: 'bob' })), true);
      assert.equal(ruleAllows(sut, request({ verb: 'list' })), true);
      assert.equal(ruleAllows(sut, request({ verb: 'update', name: 'bob' })), false);
      assert.equal(ruleAllows(sut, request({ verb: 'create' })), false);
    });

    it('"*" allows every verb', () => {
      const any = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['*'] });
      for (const verb of ['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection']) {
        assert.equal(ruleAllows(any, request({ verb })), true, verb);
      }
    });

    it('no verbs allow nothing', () => {
      assert.equal(ruleAllows(rule({ apiGroups: ['*'], resources: ['*'] }), request({})), false);
    });
  });

  describe('API groups', () => {
    it('must match exactly, or be "*"', () => {
      const sut = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['get'] });
      assert.equal(ruleAllows(sut, request({ apiGroup: ApiGroups.uc })), false);
      assert.equal(ruleAllows(sut, request({ apiGroup: ApiGroups.core })), false);
      assert.equal(ruleAllows(rule({ apiGroups: ['*'], resources: ['users'], verbs: ['get'] }), request({ apiGroup: ApiGroups.uc })), true);
    });

    it('the core group "" is a group of its own', () => {
      const sut = rule({ apiGroups: [''], resources: ['users'], verbs: ['get'] });
      assert.equal(ruleAllows(sut, request({ apiGroup: '' })), true);
      assert.equal(ruleAllows(sut, request({ apiGroup: consoleGroup })), false);
    });
  });

  describe('resources', () => {
    it('"users" covers the resource but not its subresources', () => {
      const sut = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['*'] });
      assert.equal(ruleAllows(sut, request({})), true);
      assert.equal(ruleAllows(sut, request({ subresource: 'password' })), false);
    });

    it('"users/password" covers only that subresource', () => {
      const sut = rule({ apiGroups: [consoleGroup], resources: ['users/password'], verbs: ['*'] });
      assert.equal(ruleAllows(sut, request({ subresource: 'password' })), true);
      assert.equal(ruleAllows(sut, request({ subresource: 'permissions' })), false);
      assert.equal(ruleAllows(sut, request({})), false);
    });

    it('"*" covers everything, "users/*" every subresource of users, "*/password" that subresource of anything', () => {
      const all = rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
      assert.equal(ruleAllows(all, request({ resource: 'roles' })), true);
      assert.equal(ruleAllows(all, request({ subresource: 'password' })), true);
      const subs = rule({ apiGroups: ['*'], resources: ['users/*'], verbs: ['*'] });
      assert.equal(ruleAllows(subs, request({ subresource: 'avatar' })), true);
      assert.equal(ruleAllows(subs, request({})), false);
      assert.equal(ruleAllows(subs, request({ resource: 'roles', subresource: 'avatar' })), false);
      const password = rule({ apiGroups: ['*'], resources: ['*/password'], verbs: ['*'] });
      assert.equal(ruleAllows(password, request({ resource: 'accounts', subresource: 'password' })), true);
      assert.equal(ruleAllows(password, request({ resource: 'accounts' })), false);
    });
  });

  describe('resource names', () => {
    const self = rule({ apiGroups: [consoleGroup], resources: ['users'], resourceNames: ['-'], verbs: ['get'] });

    it('"-" matches the literal "-" segment only', () => {
      assert.equal(ruleAllows(self, request({ name: '-' })), true);
      assert.equal(ruleAllows(self, request({ name: 'admin' })), false);
    });

    it('a rule with names never allows a request without one (a list)', () => {
      assert.equal(ruleAllows(self, request({ verb: 'get', name: undefined })), false);
    });

    it('a rule without names allows any name', () => {
      const any = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['get'] });
      assert.equal(ruleAllows(any, request({ name: 'admin' })), true);
      assert.equal(ruleAllows(any, request({ name: '-' })), true);
    });
  });

  describe('non-resource URLs', () => {
    it('match exactly, by "*" or by a trailing "*" prefix', () => {
      const exact = rule({ nonResourceURLs: ['/healthz'], verbs: ['get'] });
      const prefix = rule({ nonResourceURLs: ['/actuator/*'], verbs: ['get'] });
      const all = rule({ nonResourceURLs: ['*'], verbs: ['*'] });
      assert.equal(ruleAllows(exact, { kind: 'non-resource', path: '/healthz', verb: 'get' }), true);
      assert.equal(ruleAllows(exact, { kind: 'non-resource', path: '/healthz/x', verb: 'get' }), false);
      assert.equal(ruleAllows(prefix, { kind: 'non-resource', path: '/actuator/health', verb: 'get' }), true);
      assert.equal(ruleAllows(prefix, { kind: 'non-resource', path: '/api', verb: 'get' }), false);
      assert.equal(ruleAllows(all, { kind: 'non-resource', path: '/anything', verb: 'post' }), true);
    });

    it('resource rules never match non-resource requests', () => {
      const sut = rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
      assert.equal(ruleAllows(sut, { kind: 'non-resource', path: '/anything', verb: 'get' }), false);
    });
  });
});

describe('RoleGraph', () => {
  describe('expansion', () => {
    const sut = new RoleGraph([
      role('a', { annotations: { [RbacKeys.dependencies]: '["b"]' } }),
      role('b', { annotations: { [RbacKeys.dependencies]: '["c", "missing"]' } }),
      role('c', { annotations: { [RbacKeys.dependencies]: '["a"]' } }),
      role('extra', { labels: { [`${RbacKeys.aggregateToPrefix}b`]: 'true' } }),
      role('not-aggregated', { labels: { [`${RbacKeys.aggregateToPrefix}b`]: 'false' } }),
      role('broken', { annotations: { [RbacKeys.dependencies]: 'not json' } }),
    ]);

    it('follows dependencies transitively, survives cycles and drops unknown names', () => {
      assert.deepEqual([...sut.expand(['a'])].sort(), ['a', 'b', 'c', 'extra']);
      assert.deepEqual([...sut.expand(['nope'])], []);
    });

    it('adds roles labelled aggregate-to-<role> = "true" only', () => {
      assert.ok(sut.expand(['b']).has('extra'));
      assert.equal(sut.expand(['b']).has('not-aggregated'), false);
    });

    it('treats malformed dependency annotations as none', () => {
      assert.deepEqual([...sut.expand(['broken'])], ['broken']);
    });
  });

  describe('with the built-in roles', () => {
    const sut = new RoleGraph(BUILTIN_ROLES);
    const anonymous = ['anonymous'];
    const user = (...roles: string[]) => [...roles, 'authenticated', 'anonymous'];

    it('lets anonymous callers read users/- only', () => {
      assert.equal(sut.allows(anonymous, request({ name: '-' })), true);
      assert.equal(sut.allows(anonymous, request({ name: 'admin' })), false);
      assert.equal(sut.allows(anonymous, request({ verb: 'list' })), false);
    });

    it('hidden roles still grant: authenticated → own permissions, password, PATs', () => {
      assert.equal(sut.get('authenticated')?.labels[RbacKeys.hidden], 'true');
      assert.equal(sut.allows(user(), request({ subresource: 'permissions', name: '-', verb: 'list' })), true);
      assert.equal(sut.allows(user(), request({ subresource: 'password', name: '-', verb: 'update' })), true);
      assert.equal(sut.allows(user(), request({ subresource: 'password', name: 'admin', verb: 'update' })), false);
      assert.equal(
        sut.allows(user(), { kind: 'resource', apiGroup: ApiGroups.ucSecurity, resource: 'personalaccesstokens', verb: 'create' }),
        true,
      );
      assert.equal(sut.allows(user(), request({ verb: 'list' })), false);
    });

    it('view-users lists and reads users but changes nothing', () => {
      const viewer = user('role-template-view-users');
      assert.equal(sut.allows(viewer, request({ verb: 'list' })), true);
      assert.equal(sut.allows(viewer, request({ name: 'admin' })), true);
      assert.equal(sut.allows(viewer, request({ verb: 'create' })), false);
    });

    it('manage-users brings change-password through its dependencies', () => {
      const manager = user('role-template-manage-users');
      assert.equal(sut.allows(manager, request({ subresource: 'password', name: 'bob', verb: 'update' })), true);
      assert.equal(sut.allows(manager, request({ verb: 'list' })), true, 'view-users is a dependency');
      assert.equal(
        sut.allows(manager, { kind: 'resource', apiGroup: ApiGroups.consoleSecurity, resource: 'users', subresource: 'disable', name: 'bob', verb: 'create' }),
        false,
        'no template grants disable',
      );
    });

    it('super-role allows everything, resource or not', () => {
      assert.equal(
        sut.allows(['super-role'], { kind: 'resource', apiGroup: ApiGroups.consoleSecurity, resource: 'users', subresource: 'disable', name: 'bob', verb: 'create' }),
        true,
      );
      assert.equal(sut.allows(['super-role'], { kind: 'non-resource', path: '/anything', verb: 'get' }), true);
    });

    it('nobody and unknown roles get nothing (fail closed)', () => {
      assert.equal(sut.allows([], request({ name: '-' })), false);
      assert.equal(sut.allows(['no-such-role'], request({ name: '-' })), false);
    });

    it('contains: super-role holds every role, others their expansion', () => {
      assert.equal(sut.contains(['super-role'], 'role-template-manage-roles'), true);
      assert.equal(sut.contains(['role-template-manage-users'], 'role-template-view-users'), true);
      assert.equal(sut.contains(['role-template-view-users'], 'role-template-manage-users'), false);
      assert.equal(sut.contains(['role-template-view-users'], 'super-role'), false);
    });
  });
});
