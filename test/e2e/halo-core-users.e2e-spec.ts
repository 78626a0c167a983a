import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

for (const kind of testDatabases()) {
  // "Also finish": Halo's core extension API had only get, PUT and delete for users; list,
  // create and JSON-patch answered 404/405. Through the real @halo-dev/api-client.
  describe(`Halo core /api/v1alpha1/users list, create, patch on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;
    let viewer: HaloClients;
    let manager: HaloClients;
    let nobody: HaloClients;
    let serial = 0;

    const newUser = (extra: Record<string, unknown> = {}) => {
      const name = `core-${++serial}`;
      return {
        apiVersion: 'v1alpha1',
        kind: 'User',
        metadata: { name, annotations: { note: 'made by the core API' } },
        spec: { displayName: `Core ${serial}`, email: `${name}@example.test`, emailVerified: false, ...extra },
      } as never;
    };

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { env: { TRUST_PROXY: '127.0.0.1' } });
      await seedUser(server.dataSource, { name: 'cviewer', password: 'cviewer-password', roles: ['role-template-view-users'] });
      await seedUser(server.dataSource, { name: 'cmanager', password: 'cmanager-password', roles: ['role-template-manage-users'] });
      await seedUser(server.dataSource, { name: 'cnobody', password: 'cnobody-password' });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      viewer = await loginAs(server.baseUrl, 'cviewer', 'cviewer-password');
      manager = await loginAs(server.baseUrl, 'cmanager', 'cmanager-password');
      nobody = await loginAs(server.baseUrl, 'cnobody', 'cnobody-password');
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('ListUser', () => {
      it('401 without credentials', async () => {
        expect((await failure(anonymous(server.baseUrl).core.user.listUser())).status).toBe(401);
      });

      it('403 without users list', async () => {
        expect((await failure(nobody.core.user.listUser())).status).toBe(403);
      });

      it('lists User objects with paging and a field selector, never a password', async () => {
        const all = await viewer.core.user.listUser({ page: 1, size: 2, sort: ['metadata.name,asc'] });
        expect(all.data.items.length).toBe(2);
        expect(all.data).toMatchObject({ page: 1, size: 2, first: true, hasPrevious: false });
        expect(all.data.total).toBeGreaterThanOrEqual(4);
        expect(all.data.items[0]).toMatchObject({ apiVersion: 'v1alpha1', kind: 'User' });
        expect(JSON.stringify(all.data)).not.toMatch(/argon2|"password"/);
        const one = await viewer.core.user.listUser({ fieldSelector: ['metadata.name=cmanager'] });
        expect(one.data.items.map((u) => u.metadata.name)).toEqual(['cmanager']);
      });
    });

    describe('CreateUser', () => {
      it('401 without credentials', async () => {
        expect((await failure(anonymous(server.baseUrl).core.user.createUser({ user: newUser() }))).status).toBe(401);
      });

      it('403 for a viewer (no users create)', async () => {
        expect((await failure(viewer.core.user.createUser({ user: newUser() }))).status).toBe(403);
      });

      it('creates the user from a whole User; spec.password is not read and no role is bound', async () => {
        const body = newUser({ password: '{noop}plain-text-password', bio: 'from the core API' });
        const created = await manager.core.user.createUser({ user: body });
        const name = (body as { metadata: { name: string } }).metadata.name;
        expect(created.data.metadata.name).toBe(name);
        expect(created.data.spec).toMatchObject({ displayName: `Core ${serial}`, email: `${name}@example.test`, bio: 'from the core API' });
        expect(created.data.spec.password).toBeUndefined();
        expect(created.data.metadata.annotations?.note).toBe('made by the core API');
        const login = await failure(loginAs(server.baseUrl, name, 'plain-text-password').then((c) => c.console.user.listUsers()));
        expect(login.status).toBe(401);
        const detail = await admin.console.user.getUserDetail({ name });
        expect(detail.data.roles).toEqual([]);
      });

      it('keeps metadata.labels and spec.loginHistoryLimit of the created User (nothing silently dropped)', async () => {
        const body = newUser({ loginHistoryLimit: 7 }) as { metadata: { name: string; labels?: Record<string, string> } };
        body.metadata.labels = { team: 'ops', 'example.test/tier': 'gold' };
        const created = await manager.core.user.createUser({ user: body as never });
        expect(created.data.metadata.labels).toEqual({ team: 'ops', 'example.test/tier': 'gold' });
        expect(created.data.spec.loginHistoryLimit).toBe(7);
        const read = await admin.core.user.getUser({ name: body.metadata.name });
        expect(read.data.metadata.labels).toEqual({ team: 'ops', 'example.test/tier': 'gold' });
        expect(read.data.spec.loginHistoryLimit).toBe(7);
      });

      it('refuses a bad name with a 400 problem, a taken one as Halo does', async () => {
        const bad = await failure(manager.core.user.createUser({ user: { ...(newUser() as object), metadata: { name: 'Not Valid' } } as never }));
        expect(bad.status).toBe(400);
        expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
        const taken = await failure(manager.core.user.createUser({ user: { ...(newUser() as object), metadata: { name: 'cnobody' } } as never }));
        expect(taken.status).toBe(400);
        expect(taken.data.title).toBe('Duplicate Name Error');
      });
    });

    describe('PatchUser (RFC 6902)', () => {
      async function created(): Promise<string> {
        const body = newUser();
        await admin.core.user.createUser({ user: body });
        return (body as { metadata: { name: string } }).metadata.name;
      }

      it('401 without credentials', async () => {
        const name = await created();
        const res = await failure(anonymous(server.baseUrl).core.user.patchUser({ name, jsonPatchInner: [{ op: 'replace', path: '/spec/displayName', value: 'x' }] }));
        expect(res.status).toBe(401);
      });

      it('403 for a viewer (no users patch)', async () => {
        const name = await created();
        const res = await failure(viewer.core.user.patchUser({ name, jsonPatchInner: [{ op: 'replace', path: '/spec/displayName', value: 'x' }] }));
        expect(res.status).toBe(403);
      });

      it('applies the patch as the client sends it (application/json-patch+json) under the PUT rules', async () => {
        const name = await created();
        const before = (await admin.core.user.getUser({ name })).data;
        const patched = await manager.core.user.patchUser({
          name,
          jsonPatchInner: [
            { op: 'test', path: '/metadata/version', value: before.metadata.version },
            { op: 'replace', path: '/spec/displayName', value: '👩🏽‍💻 Patched' },
            { op: 'add', path: '/metadata/labels', value: { team: 'core' } },
            { op: 'remove', path: '/metadata/annotations/note' },
          ] as never,
        });
        expect(patched.data.spec.displayName).toBe('👩🏽‍💻 Patched');
        expect(patched.data.metadata.labels).toEqual({ team: 'core' });
        expect(patched.data.metadata.annotations?.note).toBeUndefined();
        expect(patched.data.metadata.version).toBe((before.metadata.version ?? 0) + 1);
      });

      it('a stale version is 409, a failed test and an invalid result are 400, and nothing changes', async () => {
        const name = await created();
        const stale = await failure(manager.core.user.patchUser({ name, jsonPatchInner: [{ op: 'replace', path: '/metadata/version', value: 99 }] as never }));
        expect(stale.status).toBe(409);
        const failedTest = await failure(manager.core.user.patchUser({ name, jsonPatchInner: [{ op: 'test', path: '/spec/displayName', value: 'nope' }] as never }));
        expect(failedTest.status).toBe(400);
        const invalid = await failure(manager.core.user.patchUser({ name, jsonPatchInner: [{ op: 'replace', path: '/spec/displayName', value: 'evil\u202Eman' }] as never }));
        expect(invalid.status).toBe(400);
        expect(invalid.data.detail).toMatch(/displayName/);
        expect((await admin.core.user.getUser({ name })).data.spec.displayName).toMatch(/^Core /);
      });
    });
  });
}
