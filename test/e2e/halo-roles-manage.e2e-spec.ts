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

    beforeAll(async () => {
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

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('POST /api/v1alpha1/roles', () => {
      it('401 without credentials', async () => {
        expect((await failure(anonymous(server.baseUrl).core.role.createRole({ role: newRole(['role-template-view-users']) }))).status).toBe(401);
      });

      it('403 without role-template-manage-roles', async () => {
        expect((await failure(viewer.core.role.createRole({ role: newRole(['role-template-view-roles']) }))).status).toBe(403);
      });

      it('201 with a generated name; the role lists first and grants its templates to a holder', async () => {
        server.clock.advance(1_000);
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        expect(created.status).toBe(201);
        const name = created.data.metadata.name;
        expect(name).toMatch(/^role-[a-z0-9]{5}$/);
        expect(created.data.metadata.annotations?.[DISPLAY_NAME]).toBe('Custom role');
        expect(created.data.metadata.version).toBe(0);
        expect(created.data.metadata.creationTimestamp).toBeTruthy();

        // Halo's own e2e flow: create, list (newest first), delete the first one listed.
        const listed = await admin.core.role.listRole();
        expect(listed.data.items[0]!.metadata.name).toBe(name);

        await admin.console.user.grantPermission({ name: 'holder', grantRequest: { roles: [name] } });
        const holder = await loginAs(server.baseUrl, 'holder', 'holder-password');
        expect((await holder.console.user.listUsers()).status).toBe(200); // the dependency grants listing users

        const deleted = await admin.core.role.deleteRole({ name: listed.data.items[0]!.metadata.name });
        expect(deleted.status).toBe(200);
        // Halo answers the deleted object (the client types it void), stamped with when it went.
        const gone = deleted.data as unknown as Role;
        expect(gone.metadata.name).toBe(name);
        expect(gone.metadata.annotations?.[DISPLAY_NAME]).toBe('Custom role');
        expect(gone.metadata.deletionTimestamp).toBe(server.clock.now().toISOString());
        expect((await failure(admin.core.role.getRole({ name }))).status).toBe(404);
        const detail = await admin.console.user.getUserDetail({ name: 'holder' });
        expect(detail.data.roles.map((r) => r.metadata.name)).toEqual([]); // the binding went with the role
        expect((await failure(holder.console.user.listUsers())).status).toBe(403); // and the permission with it
      });

      it('honours an explicit name; a taken or built-in name is refused', async () => {
        const created = await admin.core.role.createRole({ role: newRole([], { name: 'auditors', generateName: undefined }) });
        expect(created.data.metadata.name).toBe('auditors');
        expect((await failure(admin.core.role.createRole({ role: newRole([], { name: 'auditors' }) }))).status).toBe(400);
        expect((await failure(admin.core.role.createRole({ role: newRole([], { name: 'super-role' }) }))).status).toBe(400);
        const bad = await failure(admin.core.role.createRole({ role: newRole([], { name: 'Not A Name' }) }));
        expect(bad.status).toBe(400);
        expect(String(bad.headers['content-type'])).toMatch(/application\/problem\+json/);
      });

      it('a manager composes only templates and rules it holds itself; super-role anything', async () => {
        const own = await manager.core.role.createRole({ role: newRole(['role-template-view-users']) });
        expect(own.status).toBe(201);
        const escalate = await failure(manager.core.role.createRole({ role: newRole(['role-template-manage-users']) }));
        expect(escalate.status).toBe(403);
        expect(problemDetail(escalate)).toMatch(/role-template-manage-users/);
        const rule = { apiGroups: ['api.console.halo.run'], resources: ['users/password'], resourceNames: [], nonResourceURLs: [], verbs: ['update'] };
        expect((await failure(manager.core.role.createRole({ role: newRole([], {}, [rule]) }))).status).toBe(403); // a rule it lacks
        const wildcard = { ...rule, resources: ['*'], verbs: ['*'] };
        expect((await failure(manager.core.role.createRole({ role: newRole([], {}, [wildcard]) }))).status).toBe(403); // a wildcard
        const aggregate = newRole([], { labels: { 'rbac.authorization.halo.run/aggregate-to-authenticated': 'true' } });
        expect((await failure(manager.core.role.createRole({ role: aggregate }))).status).toBe(403); // aggregating into everybody
        const held = { apiGroups: ['api.console.halo.run'], resources: ['users'], resourceNames: [], nonResourceURLs: [], verbs: ['list'] };
        expect((await manager.core.role.createRole({ role: newRole([], {}, [held]) })).status).toBe(201); // a rule it holds
        expect((await admin.core.role.createRole({ role: newRole(['role-template-manage-users'], {}, [wildcard]) })).status).toBe(201);
        const unknown = await failure(admin.core.role.createRole({ role: newRole(['role-template-does-not-exist']) }));
        expect(unknown.status).toBe(400);
      });
    });

    describe('PUT /api/v1alpha1/roles/{name}', () => {
      it('401 without credentials, 403 without the permission', async () => {
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        const name = created.data.metadata.name;
        expect((await failure(anonymous(server.baseUrl).core.role.updateRole({ name, role: created.data }))).status).toBe(401);
        expect((await failure(viewer.core.role.updateRole({ name, role: created.data }))).status).toBe(403);
      });

      it('updates a custom role with the version it read; a stale version is 409', async () => {
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        const name = created.data.metadata.name;
        const fetched = (await admin.core.role.getRole({ name })).data;
        fetched.metadata.annotations = { ...fetched.metadata.annotations, [DEPENDENCIES]: JSON.stringify(['role-template-view-roles']), [DISPLAY_NAME]: 'Renamed' };
        const updated = await admin.core.role.updateRole({ name, role: fetched });
        expect(updated.status).toBe(200);
        expect(updated.data.metadata.version).toBe(1);
        expect(updated.data.metadata.annotations?.[DISPLAY_NAME]).toBe('Renamed');
        expect((await admin.core.role.getRole({ name })).data.metadata.annotations?.[DEPENDENCIES]).toBe('["role-template-view-roles"]');
        const stale = await failure(admin.core.role.updateRole({ name, role: fetched }));
        expect(stale.status).toBe(409);
        const mismatch = await failure(admin.core.role.updateRole({ name, role: { ...updated.data, metadata: { ...updated.data.metadata, name: 'other' } } }));
        expect(mismatch.status).toBe(400);
        expect((await failure(admin.core.role.updateRole({ name: 'no-such-role', role: { ...updated.data, metadata: { ...updated.data.metadata, name: 'no-such-role' } } }))).status).toBe(404);
      });

      it('refuses to change built-in roles and templates, even for super-role', async () => {
        for (const name of ['super-role', 'role-template-manage-users', 'authenticated']) {
          const role = (await admin.core.role.getRole({ name })).data;
          const answer = await failure(admin.core.role.updateRole({ name, role }));
          expect(answer.status).toBe(403);
          expect(problemDetail(answer)).toMatch(/built-in/);
        }
      });

      it('a manager may not change a role beyond its own permissions', async () => {
        const strong = await admin.core.role.createRole({ role: newRole(['role-template-manage-users']) });
        const answer = await failure(manager.core.role.updateRole({ name: strong.data.metadata.name, role: { ...strong.data, metadata: { ...strong.data.metadata, annotations: { [DEPENDENCIES]: '[]' } } } }));
        expect(answer.status).toBe(403);
      });
    });

    describe('PATCH /api/v1alpha1/roles/{name}', () => {
      /** JSON Pointer to an annotation: `/` in the key is written `~1` (RFC 6901). */
      const annotation = (key: string) => `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const rename = (value: string) => [{ op: 'replace' as const, path: annotation(DISPLAY_NAME), value }];

      it('401 without credentials, 403 without the permission, and the role unchanged', async () => {
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        const name = created.data.metadata.name;
        expect((await failure(anonymous(server.baseUrl).core.role.patchRole({ name, jsonPatchInner: rename('x') }))).status).toBe(401);
        expect((await failure(viewer.core.role.patchRole({ name, jsonPatchInner: rename('x') }))).status).toBe(403);
        const after = (await admin.core.role.getRole({ name })).data;
        expect(after.metadata.annotations?.[DISPLAY_NAME]).toBe('Custom role');
        expect(after.metadata.version).toBe(0);
      });

      it('applies the patch as the client sends it under the PUT rules; a stale version, a failed test or an invalid result changes nothing', async () => {
        const created = await admin.core.role.createRole({ role: newRole(['role-template-view-users']) });
        const name = created.data.metadata.name;
        const patched = await admin.core.role.patchRole({
          name,
          jsonPatchInner: [...rename('Patched'), { op: 'replace', path: annotation(DEPENDENCIES), value: '["role-template-view-roles"]' }],
        });
        expect(patched.status).toBe(200);
        expect(patched.data.metadata.version).toBe(1);
        expect(patched.data.metadata.annotations?.[DISPLAY_NAME]).toBe('Patched');
        expect((await admin.core.role.getRole({ name })).data.metadata.annotations?.[DEPENDENCIES]).toBe('["role-template-view-roles"]');

        const stale = await failure(admin.core.role.patchRole({ name, jsonPatchInner: [{ op: 'replace', path: '/metadata/version', value: 0 }, ...rename('Stale')] as never }));
        expect(stale.status).toBe(409);
        const failedTest = await failure(admin.core.role.patchRole({ name, jsonPatchInner: [{ op: 'test', path: annotation(DISPLAY_NAME), value: 'nope' }, ...rename('Tested')] as never }));
        expect(failedTest.status).toBe(400);
        const missingPath = await failure(admin.core.role.patchRole({ name, jsonPatchInner: [{ op: 'remove', path: annotation('no-such-annotation') }] as never }));
        expect(missingPath.status).toBe(400);
        const invalid = await failure(admin.core.role.patchRole({ name, jsonPatchInner: [{ op: 'replace', path: '/rules', value: 'not a list' }] as never }));
        expect(invalid.status).toBe(400);
        expect(problemDetail(invalid)).toMatch(/rules/);
        const renamed = await failure(admin.core.role.patchRole({ name, jsonPatchInner: [{ op: 'replace', path: '/metadata/name', value: 'other-name' }] }));
        expect(renamed.status).toBe(400);

        const after = (await admin.core.role.getRole({ name })).data;
        expect(after.metadata.version).toBe(1);
        expect(after.metadata.annotations?.[DISPLAY_NAME]).toBe('Patched');
      });

      it('refuses built-in roles, and grants beyond the caller', async () => {
        const builtIn = await failure(admin.core.role.patchRole({ name: 'super-role', jsonPatchInner: rename('Mine now') }));
        expect(builtIn.status).toBe(403);
        expect(problemDetail(builtIn)).toMatch(/built-in/);
        const mine = await manager.core.role.createRole({ role: newRole(['role-template-view-users']) });
        const escalation = await failure(
          manager.core.role.patchRole({ name: mine.data.metadata.name, jsonPatchInner: [{ op: 'replace', path: annotation(DEPENDENCIES), value: '["role-template-manage-users"]' }] }),
        );
        expect(escalation.status).toBe(403);
        expect((await admin.core.role.getRole({ name: mine.data.metadata.name })).data.metadata.annotations?.[DEPENDENCIES]).toBe('["role-template-view-users"]');
      });

      it('a malformed patch is a 400 even for an unknown name; a valid patch of an unknown role is a 404', async () => {
        expect((await failure(admin.core.role.patchRole({ name: 'no-such-role', jsonPatchInner: [{ op: 'jump', path: '/x' }] as never }))).status).toBe(400);
        expect((await failure(admin.core.role.patchRole({ name: 'no-such-role', jsonPatchInner: rename('x') }))).status).toBe(404);
      });
    });

    describe('DELETE /api/v1alpha1/roles/{name}', () => {
      it('401 without credentials, 403 without the permission', async () => {
        const created = await admin.core.role.createRole({ role: newRole([]) });
        const name = created.data.metadata.name;
        expect((await failure(anonymous(server.baseUrl).core.role.deleteRole({ name }))).status).toBe(401);
        expect((await failure(viewer.core.role.deleteRole({ name }))).status).toBe(403);
        expect((await admin.core.role.deleteRole({ name })).status).toBe(200);
        expect((await failure(admin.core.role.deleteRole({ name }))).status).toBe(404);
      });

      it('refuses built-in roles and roles beyond the caller', async () => {
        for (const name of ['super-role', 'guest', 'role-template-view-users']) {
          expect((await failure(admin.core.role.deleteRole({ name }))).status).toBe(403);
        }
        const strong = await admin.core.role.createRole({ role: newRole(['role-template-manage-users']) });
        expect((await failure(manager.core.role.deleteRole({ name: strong.data.metadata.name }))).status).toBe(403);
        const mine = await manager.core.role.createRole({ role: newRole(['role-template-view-users']) });
        expect((await manager.core.role.deleteRole({ name: mine.data.metadata.name })).status).toBe(200);
      });
    });
  });
}
