import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '@halo-dev/api-client';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const DEPENDENCIES = 'rbac.authorization.halo.run/dependencies';
const DISPLAY_NAME = 'rbac.authorization.halo.run/display-name';

/** A role as Halo's console builds it in its "New role" form: templates as dependencies, no rules of its own. */
function newRole(templates: string[], extra: Partial<Role['metadata']> = {}, rules: Role['rules'] = []): Role {
  return {
    apiVersion: 'v1alpha1',
    kind: 'Role',
    metadata: {
      name: '',
      generateName: 'role-',
      labels: {},
      annotations: { [DEPENDENCIES]: JSON.stringify(templates), [DISPLAY_NAME]: 'Custom role' },
      ...extra,
    },
    rules,
  };
}

function problemDetail(response: { data: unknown }): string {
  return String((response.data as { detail?: string }).detail ?? '');
}

for (const kind of testDatabases()) {
  describe(`Halo role writes on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;
    let viewer: HaloClients;
    let manager: HaloClients;

    before(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db);
      await seedUser(server.dataSource, { name: 'role-viewer', password: 'role-viewer-pass', roles: ['role-template-view-roles'] });
      // A role manager who can also view users, but not manage them.
      await seedUser(server.dataSource, {
        name: 'role-manager',
        password: 'role-manager-pass',
        roles: ['role-template-manage-roles', 'role-template-view-users'],
      });
      await seedUser(server.dataSource, { name: 'holder', password: 'holder-password' });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      viewer = await loginAs(server.baseUrl, 'role-viewer', 'role-viewer-pass');
      manager = await loginAs(server.baseUrl, 'role-manager', 'role-manager-pass');
    });

    after(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('POST /api/v1alpha1/roles', () => {
      it('401 without credentials', async () => {
        assert.equal((await failure(anonymous(server.baseUrl).core.role.createRole({ role: newRole(['role-template-view-users']) }))).status, 401);
      });

      it('403 without role-template-manage-roles', async () => {
        assert.equal((await failure(viewer.core.role.createRole({ role: newRole(['role-template-view-roles']) }))).status, 403);
      });

      it('201 with a generated name; the role lists first and grants its templates to a holder', async () => {
        server.clock.advance(1_000);
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        assert.equal(created.status, 201);
        const name = created.data.metadata.name;
        assert.match(name, /^role-[a-z0-9]{5}$/);
        assert.equal(created.data.metadata.annotations?.[DISPLAY_NAME], 'Custom role');
        assert.equal(created.data.metadata.version, 0);
        assert.ok(created.data.metadata.creationTimestamp);

        // Halo's own e2e flow: create, list (newest first), delete the first one listed.
        const listed = await admin.core.role.listRole();
        assert.equal(listed.data.items[0]!.metadata.name, name);

        await admin.console.user.grantPermission({ name: 'holder', grantRequest: { roles: [name] } });
        const holder = await loginAs(server.baseUrl, 'holder', 'holder-password');
        assert.equal((await holder.console.user.listUsers()).status, 200, 'the dependency grants listing users');

        const deleted = await admin.core.role.deleteRole({ name: listed.data.items[0]!.metadata.name });
        assert.equal(deleted.status, 200);
        assert.equal((await failure(admin.core.role.getRole({ name }))).status, 404);
        const detail = await admin.console.user.getUserDetail({ name: 'holder' });
        assert.deepEqual(detail.data.roles.map((r) => r.metadata.name), [], 'the binding went with the role');
        assert.equal((await failure(holder.console.user.listUsers())).status, 403, 'and the permission with it');
      });

      it('honours an explicit name; a taken or built-in name is refused', async () => {
        const created = await admin.core.role.createRole({ role: newRole([], { name: 'auditors', generateName: undefined }) });
        assert.equal(created.data.metadata.name, 'auditors');
        assert.equal((await failure(admin.core.role.createRole({ role: newRole([], { name: 'auditors' }) }))).status, 400);
        assert.equal((await failure(admin.core.role.createRole({ role: newRole([], { name: 'super-role' }) }))).status, 400);
        const bad = await failure(admin.core.role.createRole({ role: newRole([], { name: 'Not A Name' }) }));
        assert.equal(bad.status, 400);
        assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
      });

      it('a manager composes only templates and rules it holds itself; super-role anything', async () => {
        const own = await manager.core.role.createRole({ role: newRole(['role-template-view-users']) });
        assert.equal(own.status, 201);
        const escalate = await failure(manager.core.role.createRole({ role: newRole(['role-template-manage-users']) }));
        assert.equal(escalate.status, 403);
        assert.match(problemDetail(escalate), /role-template-manage-users/);
        const rule = { apiGroups: ['api.console.halo.run'], resources: ['users/password'], resourceNames: [], nonResourceURLs: [], verbs: ['update'] };
        assert.equal((await failure(manager.core.role.createRole({ role: newRole([], {}, [rule]) }))).status, 403, 'a rule it lacks');
        const wildcard = { ...rule, resources: ['*'], verbs: ['*'] };
        assert.equal((await failure(manager.core.role.createRole({ role: newRole([], {}, [wildcard]) }))).status, 403, 'a wildcard');
        const aggregate = newRole([], { labels: { 'rbac.authorization.halo.run/aggregate-to-authenticated': 'true' } });
        assert.equal((await failure(manager.core.role.createRole({ role: aggregate }))).status, 403, 'aggregating into everybody');
        const held = { apiGroups: ['api.console.halo.run'], resources: ['users'], resourceNames: [], nonResourceURLs: [], verbs: ['list'] };
        assert.equal((await manager.core.role.createRole({ role: newRole([], {}, [held]) })).status, 201, 'a rule it holds');
        assert.equal((await admin.core.role.createRole({ role: newRole(['role-template-manage-users'], {}, [wildcard]) })).status, 201);
        const unknown = await failure(admin.core.role.createRole({ role: newRole(['role-template-does-not-exist']) }));
        assert.equal(unknown.status, 400);
      });
    });

    describe('PUT /api/v1alpha1/roles/{name}', () => {
      it('401 without credentials, 403 without the permission', async () => {
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        const name = created.data.metadata.name;
        assert.equal((await failure(anonymous(server.baseUrl).core.role.updateRole({ name, role: created.data }))).status, 401);
        assert.equal((await failure(viewer.core.role.updateRole({ name, role: created.data }))).status, 403);
      });

      it('updates a custom role with the version it read; a stale version is 409', async () => {
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        const name = created.data.metadata.name;
        const fetched = (await admin.core.role.getRole({ name })).data;
        fetched.metadata.annotations = { ...fetched.metadata.annotations, [DEPENDENCIES]: JSON.stringify(['role-template-view-roles']), [DISPLAY_NAME]: 'Renamed' };
        const updated = await admin.core.role.updateRole({ name, role: fetched });
        assert.equal(updated.status, 200);
        assert.equal(updated.data.metadata.version, 1);
        assert.equal(updated.data.metadata.annotations?.[DISPLAY_NAME], 'Renamed');
        assert.equal((await admin.core.role.getRole({ name })).data.metadata.annotations?.[DEPENDENCIES], '["role-template-view-roles"]');
        const stale = await failure(admin.core.role.updateRole({ name, role: fetched }));
        assert.equal(stale.status, 409);
        const mismatch = await failure(admin.core.role.updateRole({ name, role: { ...updated.data, metadata: { ...updated.data.metadata, name: 'other' } } }));
        assert.equal(mismatch.status, 400);
        assert.equal((await failure(admin.core.role.updateRole({ name: 'no-such-role', role: { ...updated.data, metadata: { ...updated.data.metadata, name: 'no-such-role' } } }))).status, 404);
      });

      it('refuses to change built-in roles and templates, even for super-role', async () => {
        for (const name of ['super-role', 'role-template-manage-users', 'authenticated']) {
          const role = (await admin.core.role.getRole({ name })).data;
          const answer = await failure(admin.core.role.updateRole({ name, role }));
          assert.equal(answer.status, 403, name);
          assert.match(problemDetail(answer), /built-in/);
        }
      });

      it('a manager may not change a role beyond its own permissions', async () => {
        const strong = await admin.core.role.createRole({ role: newRole(['role-template-manage-users']) });
        const answer = await failure(manager.core.role.updateRole({ name: strong.data.metadata.name, role: { ...strong.data, metadata: { ...strong.data.metadata, annotations: { [DEPENDENCIES]: '[]' } } } }));
        assert.equal(answer.status, 403);
      });
    });

    describe('DELETE /api/v1alpha1/roles/{name}', () => {
      it('401 without credentials, 403 without the permission', async () => {
        const created = await admin.core.role.createRole({ role: newRole([]) });
        const name = created.data.metadata.name;
        assert.equal((await failure(anonymous(server.baseUrl).core.role.deleteRole({ name }))).status, 401);
        assert.equal((await failure(viewer.core.role.deleteRole({ name }))).status, 403);
        assert.equal((await admin.core.role.deleteRole({ name })).status, 200);
        assert.equal((await failure(admin.core.role.deleteRole({ name }))).status, 404);
      });

      it('refuses built-in roles and roles beyond the caller', async () => {
        for (const name of ['super-role', 'guest', 'role-template-view-users']) {
          assert.equal((await failure(admin.core.role.deleteRole({ name }))).status, 403, name);
        }
        const strong = await admin.core.role.createRole({ role: newRole(['role-template-manage-users']) });
        assert.equal((await failure(manager.core.role.deleteRole({ name: strong.data.metadata.name }))).status, 403);
        const mine = await manager.core.role.createRole({ role: newRole(['role-template-view-users']) });
        assert.equal((await manager.core.role.deleteRole({ name: mine.data.metadata.name })).status, 200);
      });
    });
  });
}
