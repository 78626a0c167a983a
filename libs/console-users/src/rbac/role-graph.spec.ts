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
      expect(ruleAllows(sut, request({ verb: 'get', name: 'bob' }))).toBe(true);
      expect(ruleAllows(sut, request({ verb: 'list' }))).toBe(true);
      expect(ruleAllows(sut, request({ verb: 'update', name: 'bob' }))).toBe(false);
      expect(ruleAllows(sut, request({ verb: 'create' }))).toBe(false);
    });

    it('"*" allows every verb', () => {
      const any = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['*'] });
      for (const verb of ['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection']) {
        expect(ruleAllows(any, request({ verb }))).toBe(true);
      }
    });

    it('no verbs allow nothing', () => {
      expect(ruleAllows(rule({ apiGroups: ['*'], resources: ['*'] }), request({}))).toBe(false);
    });
  });

  describe('API groups', () => {
    it('must match exactly, or be "*"', () => {
      const sut = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['get'] });
      expect(ruleAllows(sut, request({ apiGroup: ApiGroups.uc }))).toBe(false);
      expect(ruleAllows(sut, request({ apiGroup: ApiGroups.core }))).toBe(false);
      expect(ruleAllows(rule({ apiGroups: ['*'], resources: ['users'], verbs: ['get'] }), request({ apiGroup: ApiGroups.uc }))).toBe(true);
    });

    it('the core group "" is a group of its own', () => {
      const sut = rule({ apiGroups: [''], resources: ['users'], verbs: ['get'] });
      expect(ruleAllows(sut, request({ apiGroup: '' }))).toBe(true);
      expect(ruleAllows(sut, request({ apiGroup: consoleGroup }))).toBe(false);
    });
  });

  describe('resources', () => {
    it('"users" covers the resource but not its subresources', () => {
      const sut = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['*'] });
      expect(ruleAllows(sut, request({}))).toBe(true);
      expect(ruleAllows(sut, request({ subresource: 'password' }))).toBe(false);
    });

    it('"users/password" covers only that subresource', () => {
      const sut = rule({ apiGroups: [consoleGroup], resources: ['users/password'], verbs: ['*'] });
      expect(ruleAllows(sut, request({ subresource: 'password' }))).toBe(true);
      expect(ruleAllows(sut, request({ subresource: 'permissions' }))).toBe(false);
      expect(ruleAllows(sut, request({}))).toBe(false);
    });

    it('"*" covers everything, "users/*" every subresource of users, "*/password" that subresource of anything', () => {
      const all = rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
      expect(ruleAllows(all, request({ resource: 'roles' }))).toBe(true);
      expect(ruleAllows(all, request({ subresource: 'password' }))).toBe(true);
      const subs = rule({ apiGroups: ['*'], resources: ['users/*'], verbs: ['*'] });
      expect(ruleAllows(subs, request({ subresource: 'avatar' }))).toBe(true);
      expect(ruleAllows(subs, request({}))).toBe(false);
      expect(ruleAllows(subs, request({ resource: 'roles', subresource: 'avatar' }))).toBe(false);
      const password = rule({ apiGroups: ['*'], resources: ['*/password'], verbs: ['*'] });
      expect(ruleAllows(password, request({ resource: 'accounts', subresource: 'password' }))).toBe(true);
      expect(ruleAllows(password, request({ resource: 'accounts' }))).toBe(false);
    });
  });

  describe('resource names', () => {
    const self = rule({ apiGroups: [consoleGroup], resources: ['users'], resourceNames: ['-'], verbs: ['get'] });

    it('"-" matches the literal "-" segment only', () => {
      expect(ruleAllows(self, request({ name: '-' }))).toBe(true);
      expect(ruleAllows(self, request({ name: 'admin' }))).toBe(false);
    });

    it('a rule with names never allows a request without one (a list)', () => {
      expect(ruleAllows(self, request({ verb: 'get', name: undefined }))).toBe(false);
    });

    it('a rule without names allows any name', () => {
      const any = rule({ apiGroups: [consoleGroup], resources: ['users'], verbs: ['get'] });
      expect(ruleAllows(any, request({ name: 'admin' }))).toBe(true);
      expect(ruleAllows(any, request({ name: '-' }))).toBe(true);
    });
  });

  describe('non-resource URLs', () => {
    it('match exactly, by "*" or by a trailing "*" prefix', () => {
      const exact = rule({ nonResourceURLs: ['/healthz'], verbs: ['get'] });
      const prefix = rule({ nonResourceURLs: ['/actuator/*'], verbs: ['get'] });
      const all = rule({ nonResourceURLs: ['*'], verbs: ['*'] });
      expect(ruleAllows(exact, { kind: 'non-resource', path: '/healthz', verb: 'get' })).toBe(true);
      expect(ruleAllows(exact, { kind: 'non-resource', path: '/healthz/x', verb: 'get' })).toBe(false);
      expect(ruleAllows(prefix, { kind: 'non-resource', path: '/actuator/health', verb: 'get' })).toBe(true);
      expect(ruleAllows(prefix, { kind: 'non-resource', path: '/api', verb: 'get' })).toBe(false);
      expect(ruleAllows(all, { kind: 'non-resource', path: '/anything', verb: 'post' })).toBe(true);
    });

    it('resource rules never match non-resource requests', () => {
      const sut = rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
      expect(ruleAllows(sut, { kind: 'non-resource', path: '/anything', verb: 'get' })).toBe(false);
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
      expect([...sut.expand(['a'])].sort()).toEqual(['a', 'b', 'c', 'extra']);
      expect([...sut.expand(['nope'])]).toEqual([]);
    });

    it('adds roles labelled aggregate-to-<role> = "true" only', () => {
      expect(sut.expand(['b']).has('extra')).toBeTruthy();
      expect(sut.expand(['b']).has('not-aggregated')).toBe(false);
    });

    it('treats malformed dependency annotations as none', () => {
      expect([...sut.expand(['broken'])]).toEqual(['broken']);
    });

    it('answers for an array as it is now: a changed array is expanded again, a frozen one is remembered', () => {
      const changing = ['broken'];
      expect([...sut.expand(changing)]).toEqual(['broken']);
      changing.push('a');
      expect([...sut.expand(changing)].sort()).toEqual(['a', 'b', 'broken', 'c', 'extra']);
      const frozen = Object.freeze(['c']);
      expect(sut.expand(frozen)).toBe(sut.expand(frozen));
      expect([...sut.expand(frozen)].sort()).toEqual(['a', 'b', 'c', 'extra']);
      expect([...sut.expand(new Set(['broken']))]).toEqual(['broken']);
    });
  });

  describe('with the built-in roles', () => {
    const sut = new RoleGraph(BUILTIN_ROLES);
    const anonymous = ['anonymous'];
    const user = (...roles: string[]) => [...roles, 'authenticated', 'anonymous'];

    it('lets anonymous callers read users/- only', () => {
      expect(sut.allows(anonymous, request({ name: '-' }))).toBe(true);
      expect(sut.allows(anonymous, request({ name: 'admin' }))).toBe(false);
      expect(sut.allows(anonymous, request({ verb: 'list' }))).toBe(false);
    });

    it('hidden roles still grant: authenticated → own permissions, password, PATs', () => {
      expect(sut.get('authenticated')?.labels[RbacKeys.hidden]).toBe('true');
      expect(sut.allows(user(), request({ subresource: 'permissions', name: '-', verb: 'list' }))).toBe(true);
      expect(sut.allows(user(), request({ subresource: 'password', name: '-', verb: 'update' }))).toBe(true);
      expect(sut.allows(user(), request({ subresource: 'password', name: 'admin', verb: 'update' }))).toBe(false);
      expect(sut.allows(user(), { kind: 'resource', apiGroup: ApiGroups.ucSecurity, resource: 'personalaccesstokens', verb: 'create' })).toBe(true);
      expect(sut.allows(user(), request({ verb: 'list' }))).toBe(false);
    });

    it('view-users lists and reads users but changes nothing', () => {
      const viewer = user('role-template-view-users');
      expect(sut.allows(viewer, request({ verb: 'list' }))).toBe(true);
      expect(sut.allows(viewer, request({ name: 'admin' }))).toBe(true);
      expect(sut.allows(viewer, request({ verb: 'create' }))).toBe(false);
    });

    it('manage-users brings change-password through its dependencies', () => {
      const manager = user('role-template-manage-users');
      expect(sut.allows(manager, request({ subresource: 'password', name: 'bob', verb: 'update' }))).toBe(true);
      expect(sut.allows(manager, request({ verb: 'list' }))).toBe(true); // view-users is a dependency
      expect(sut.allows(manager, { kind: 'resource', apiGroup: ApiGroups.consoleSecurity, resource: 'users', subresource: 'disable', name: 'bob', verb: 'create' })).toBe(false); // no template grants disable
    });

    it('super-role allows everything, resource or not', () => {
      expect(sut.allows(['super-role'], { kind: 'resource', apiGroup: ApiGroups.consoleSecurity, resource: 'users', subresource: 'disable', name: 'bob', verb: 'create' })).toBe(true);
      expect(sut.allows(['super-role'], { kind: 'non-resource', path: '/anything', verb: 'get' })).toBe(true);
    });

    it('nobody and unknown roles get nothing (fail closed)', () => {
      expect(sut.allows([], request({ name: '-' }))).toBe(false);
      expect(sut.allows(['no-such-role'], request({ name: '-' }))).toBe(false);
    });

    it('contains: super-role holds every role, others their expansion', () => {
      expect(sut.contains(['super-role'], 'role-template-manage-roles')).toBe(true);
      expect(sut.contains(['role-template-manage-users'], 'role-template-view-users')).toBe(true);
      expect(sut.contains(['role-template-view-users'], 'role-template-manage-users')).toBe(false);
      expect(sut.contains(['role-template-view-users'], 'super-role')).toBe(false);
    });
  });
});
