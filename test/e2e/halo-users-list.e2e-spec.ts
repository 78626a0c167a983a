import type { ListedUser, UserEndpointListedUserList } from '@halo-dev/api-client';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const UI_FILTER = ['name!=anonymousUser', 'name!=ghost'];

const names = (list: UserEndpointListedUserList | { items: ListedUser[] }) => list.items.map((i) => i.user.metadata.name);

for (const kind of testDatabases()) {
  describe(`ListUsers and core roles on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;
    let viewer: HaloClients;
    /** Every user in Halo's default order (newest first, then by name). */
    let expectedOrder: string[];

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db);
      await seedUser(server.dataSource, { name: 'nobody', password: 'nobody-password' });
      await seedUser(server.dataSource, { name: 'viewer', password: 'viewer-password', roles: ['role-template-view-users'] });
      await seedUser(server.dataSource, { name: 'role-viewer', password: 'role-viewer-password', roles: ['role-template-view-roles'] });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      viewer = await loginAs(server.baseUrl, 'viewer', 'viewer-password');

      const crew: [string, string, string, string[]][] = [
        ['dave', 'Dave Lister', 'dave@reddwarf.test', ['guest']],
        ['arnold', 'Arnold Rimmer', 'rimmer@reddwarf.test', ['guest', 'role-template-view-users']],
        ['kryten', 'Kryten 2X4B-523P', 'kryten@reddwarf.test', []],
        ['cat', 'The Cat', 'cat@reddwarf.test', []],
        ['holly', 'Holly', 'HOLLY@RedDwarf.test', ['role-template-change-password']],
        ['odd', 'Per%cent_under "quoted"', 'odd@reddwarf.test', []],
      ];
      for (const [name, displayName, email, roles] of crew) {
        server.clock.advance(1_000);
        await admin.console.user.createUser({ createUserRequest: { name, displayName, email, roles } });
      }
      // 25 users with equal creation times in pairs, so the name breaks ties.
      for (let i = 0; i < 25; i++) {
        if (i % 2 === 0) {
          server.clock.advance(1_000);
        }
        const name = `pager-${String(i).padStart(2, '0')}`;
        await admin.console.user.createUser({ createUserRequest: { name, email: `${name}@example.test`, roles: [] } });
      }
      const all = await admin.console.user.listUsers();
      expectedOrder = names(all.data);
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('GET /users (ListUsers)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(anonymous(server.baseUrl).console.user.listUsers());
        expect(res.status).toBe(401);
        expect(res.data.status).toBe(401);
      });

      it('403 for a user without role-template-view-users', async () => {
        const nobody = await loginAs(server.baseUrl, 'nobody', 'nobody-password');
        const res = await failure(nobody.console.user.listUsers());
        expect(res.status).toBe(403);
      });

      it('200 for a viewer: every user, the system users included, in 1-based pages of 1000', async () => {
        const { data } = await viewer.console.user.listUsers();
        expect(data.page).toBe(1);
        expect(data.size).toBe(1000);
        expect(data.total).toBe(data.items.length);
        expect(data.total).toBe(3 + 1 + 2 + 6 + 25);
        expect(names(data).includes('anonymousUser')).toBeTruthy();
        expect(names(data).includes('ghost')).toBeTruthy();
        const ghost = data.items.find((i) => i.user.metadata.name === 'ghost')!;
        expect(ghost.user.metadata.labels?.['halo.run/hidden-user']).toBe('true');
        expect(ghost.user.spec.disabled).toBe(true);
        expect([data.first, data.last, data.hasNext, data.hasPrevious, data.totalPages]).toEqual([true, true, false, false, 1]);
      });

      it('orders newest first, then by name', async () => {
        const pagers = expectedOrder.filter((n) => n.startsWith('pager-'));
        expect(pagers.slice(0, 5)).toEqual(['pager-24', 'pager-22', 'pager-23', 'pager-20', 'pager-21']);
        expect(expectedOrder.indexOf('pager-00') < expectedOrder.indexOf('odd')).toBeTruthy();
        expect(expectedOrder.indexOf('odd') < expectedOrder.indexOf('dave')).toBeTruthy();
      });

      it('never serializes password hashes or TOTP secrets', async () => {
        const res = await admin.console.user.listUsers();
        const raw = JSON.stringify(res.data);
        expect(raw.includes('"password"')).toBe(false);
        expect(raw.includes('argon2')).toBe(false);
        expect(raw.includes('totpEncryptedSecret')).toBe(false);
      });

      it("filters out the system users with the console's field selectors", async () => {
        const { data } = await admin.console.user.listUsers({ fieldSelector: UI_FILTER });
        expect(data.total).toBe(expectedOrder.length - 2);
        expect(names(data).includes('anonymousUser') || names(data).includes('ghost')).toBe(false);
      });

      it('pages through every user exactly once, near and far from the start', async () => {
        const size = 7;
        const pages = Math.ceil(expectedOrder.length / size);
        const seen: string[] = [];
        for (let page = 1; page <= pages; page++) {
          const { data } = await admin.console.user.listUsers({ page, size });
          expect(names(data)).toEqual(expectedOrder.slice((page - 1) * size, page * size));
          expect(data.totalPages).toBe(pages);
          expect(data.hasPrevious).toBe(page > 1);
          expect(data.hasNext).toBe(page < pages);
          expect(data.first).toBe(page === 1);
          expect(data.last).toBe(page === pages);
          seen.push(...names(data));
        }
        expect(seen).toEqual(expectedOrder);
        const beyond = await admin.console.user.listUsers({ page: pages + 1, size });
        expect(beyond.data.items).toEqual([]);
        expect(beyond.data.total).toBe(expectedOrder.length);
        expect(beyond.data.last).toBe(true);
      });

      it('pages with the console filter the same way, from either end', async () => {
        const filtered = expectedOrder.filter((n) => n !== 'anonymousUser' && n !== 'ghost');
        for (const page of [1, 3, 6, 7]) {
          const { data } = await admin.console.user.listUsers({ page, size: 6, fieldSelector: UI_FILTER });
          expect(names(data)).toEqual(filtered.slice((page - 1) * 6, page * 6));
        }
      });

      it('treats page < 1 as 1, size ≤ 0 as 1000 and caps size at 1000', async () => {
        for (const [page, size, wantPage, wantSize] of [
          [0, 0, 1, 1000],
          [-3, -1, 1, 1000],
          [1, 5000, 1, 1000],
        ] as const) {
          const { data } = await admin.console.user.listUsers({ page, size });
          expect(data.page).toBe(wantPage);
          expect(data.size).toBe(wantSize);
          expect(data.items.length).toBe(expectedOrder.length);
        }
      });

      it('400 for a page that is not a number', async () => {
        const res = await failure(admin.http.get('/apis/api.console.halo.run/v1alpha1/users?page=abc'));
        expect(res.status).toBe(400);
        expect(res.data.detail).toMatch(/page/);
      });

      it('an empty result has totalPages 0 and is both first and last', async () => {
        const { data } = await admin.console.user.listUsers({ keyword: 'no-such-user-anywhere' });
        expect({ total: data.total, totalPages: data.totalPages, first: data.first, last: data.last, hasNext: data.hasNext, items: data.items }).toEqual({ total: 0, totalPages: 0, first: true, last: true, hasNext: false, items: [] });
      });

      describe('keyword', () => {
        const search = async (keyword: string) => names((await admin.console.user.listUsers({ keyword })).data).sort();

        it('matches an exact email, case-insensitively, but not part of one', async () => {
          expect(await search('holly@reddwarf.test')).toEqual(['holly']);
          expect(await search('Dave@RedDwarf.test')).toEqual(['dave']);
          expect(await search('reddwarf.test')).toEqual([]);
        });

        it('matches a display-name substring case-insensitively (long and short keywords)', async () => {
          expect(await search('LISTER')).toEqual(['dave']);
          expect(await search('immer')).toEqual(['arnold']);
          expect(await search('2x4b-5')).toEqual(['kryten']);
          expect(await search('ca')).toEqual(['cat']);
          expect(await search('im')).toEqual(['arnold']);
          expect(await search('Q')).toEqual(['odd']);
        });

        it('matches an exact name', async () => {
          expect(await search('odd')).toEqual(['odd']);
          expect(await search('dd')).toEqual([]);
        });

        it('takes LIKE wildcards and quotes literally', async () => {
          expect(await search('%')).toEqual(['odd']);
          expect(await search('_')).toEqual(['odd']);
          expect(await search('t_u')).toEqual(['odd']);
          expect(await search('"quoted"')).toEqual(['odd']);
          expect(await search('a"b')).toEqual([]);
          expect(await search('e%')).toEqual([]);
        });

        it('pages the matches and counts them all', async () => {
          const { data } = await admin.console.user.listUsers({ keyword: 'pager', size: 10, page: 3 });
          expect(data.total).toBe(25);
          expect(names(data)).toEqual(expectedOrder.filter((n) => n.startsWith('pager-')).slice(20));
        });
      });

      it('filters by role', async () => {
        const guests = await admin.console.user.listUsers({ role: 'guest' });
        expect(names(guests.data).sort()).toEqual(['arnold', 'dave']);
        const viewers = await admin.console.user.listUsers({ role: 'role-template-view-users' });
        expect(names(viewers.data).sort()).toEqual(['arnold', 'viewer']);
        const none = await admin.console.user.listUsers({ role: 'no-such-role' });
        expect(none.data.total).toBe(0);
      });

      it('lists hidden roles in ListedUser.roles, unlike the user detail', async () => {
        const listed = await admin.console.user.listUsers({ keyword: 'holly' });
        expect(listed.data.items[0]!.roles.map((r) => r.metadata.name)).toEqual(['role-template-change-password']);
        const detail = await admin.console.user.getUserDetail({ name: 'holly' });
        expect(detail.data.roles).toEqual([]);
        const arnold = await admin.console.user.listUsers({ keyword: 'arnold' });
        expect(arnold.data.items[0]!.roles.map((r) => r.metadata.name)).toEqual(['guest', 'role-template-view-users']);
      });

      describe('fieldSelector', () => {
        const select = async (...fieldSelector: string[]) =>
          names((await admin.console.user.listUsers({ fieldSelector })).data).sort();

        it('on names: =, != and =(a,b), with the name alias', async () => {
          expect(await select('name=(dave,cat)')).toEqual(['cat', 'dave']);
          expect(await select('metadata.name=kryten')).toEqual(['kryten']);
          expect((await select('name!=dave')).includes('dave')).toEqual(false);
          expect(await select('name=(dave,cat)', 'name!=cat')).toEqual(['dave']);
        });

        it("keeps Halo's parsing: == makes the value start with =", async () => {
          expect(await select('metadata.name==dave')).toEqual([]);
        });

        it('on roles, email, flags and creation time', async () => {
          expect(await select('roles=guest')).toEqual(['arnold', 'dave']);
          expect(await select('roles=(guest,super-role)')).toEqual(['admin', 'arnold', 'dave']);
          expect((await select('roles!=guest')).includes('dave')).toBe(false);
          expect(await select('spec.email=HOLLY@reddwarf.test')).toEqual(['holly']);
          expect(await select('spec.disabled=true')).toEqual(['anonymousUser', 'ghost']);
          expect((await select('spec.emailVerified=false')).length).toBe(expectedOrder.length);
          expect(await select('spec.displayName=The Cat')).toEqual(['cat']);
          const cat = await admin.core.user.getUser({ name: 'cat' });
          expect(await select(`metadata.creationTimestamp=${cat.data.metadata.creationTimestamp}`)).toEqual(['cat']);
          expect(await select('metadata.deletionTimestamp=2020-01-01T00:00:00Z')).toEqual([]);
        });

        it('400 on a field Halo does not index, and on a malformed term', async () => {
          for (const term of ['spec.bio=x', '=x', 'name']) {
            const res = await failure(admin.console.user.listUsers({ fieldSelector: [term] }));
            expect(res.status).toBe(400);
            expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
            expect(res.data.detail).toMatch(/fieldSelector/);
          }
        });
      });

      describe('labelSelector', () => {
        it('selects on labels, and follows label changes made through the core API', async () => {
          const label = async (...labelSelector: string[]) =>
            names((await admin.console.user.listUsers({ labelSelector })).data).sort();
          expect(await label('halo.run/hidden-user=true')).toEqual(['anonymousUser', 'ghost']);
          expect((await label('!halo.run/hidden-user')).length).toBe(expectedOrder.length - 2);

          const holly = await admin.core.user.getUser({ name: 'holly' });
          await admin.core.user.updateUser({
            name: 'holly',
            user: { ...holly.data, metadata: { ...holly.data.metadata, labels: { team: 'crew' } } },
          });
          expect(await label('team=crew')).toEqual(['holly']);
          expect(await label('team')).toEqual(['holly']);
          expect(await label('team=(ops,crew)')).toEqual(['holly']);
          expect((await label('team!=crew')).includes('holly')).toBe(false);

          const again = await admin.core.user.getUser({ name: 'holly' });
          await admin.core.user.updateUser({
            name: 'holly',
            user: { ...again.data, metadata: { ...again.data.metadata, labels: { team: 'ops' } } },
          });
          expect(await label('team=crew')).toEqual([]);
          expect(await label('team=ops')).toEqual(['holly']);
        });
      });

      describe('sort', () => {
        it('sorts on the requested indexed property, then in the default order', async () => {
          const byName = await admin.console.user.listUsers({ sort: ['metadata.name,asc'], fieldSelector: UI_FILTER });
          const sorted = names(byName.data);
          expect(sorted).toEqual([...sorted].sort());
          const byDisplay = await admin.console.user.listUsers({
            sort: ['spec.displayName,desc'],
            fieldSelector: ['name=(dave,arnold,kryten,odd)'],
          });
          expect(names(byDisplay.data)).toEqual(['odd', 'kryten', 'dave', 'arnold']);
          const all = (await admin.console.user.listUsers()).data.items.map((i) => i.user.metadata);
          const oldestFirst = [...all]
            .sort((a, b) => a.creationTimestamp!.localeCompare(b.creationTimestamp!) || a.name.localeCompare(b.name))
            .map((m) => m.name);
          const ascending = await admin.console.user.listUsers({ sort: ['metadata.creationTimestamp,asc'] });
          expect(names(ascending.data)).toEqual(oldestFirst);
        });

        it('sorts on email, and pages that order the same from either end', async () => {
          const asc = names((await admin.console.user.listUsers({ sort: ['spec.email,asc'], size: 100 })).data);
          const pages: string[] = [];
          for (let page = 1; page <= Math.ceil(asc.length / 4); page++) {
            pages.push(...names((await admin.console.user.listUsers({ sort: ['spec.email,asc'], size: 4, page })).data));
          }
          expect(pages).toEqual(asc);
        });

        it('400 on a property that cannot be sorted on', async () => {
          const res = await failure(admin.console.user.listUsers({ sort: ['spec.bio,asc'] }));
          expect(res.status).toBe(400);
          expect(res.data.detail).toMatch(/sort/);
        });
      });

      it('keeps the total right as users come and go', async () => {
        const before = (await admin.console.user.listUsers({ fieldSelector: UI_FILTER, size: 1 })).data.total;
        await admin.console.user.createUser({ createUserRequest: { name: 'temp-user', email: 'temp@example.test', roles: [] } });
        expect((await admin.console.user.listUsers({ fieldSelector: UI_FILTER, size: 1 })).data.total).toBe(before + 1);
        await admin.core.user.deleteUser({ name: 'temp-user' });
        expect((await admin.console.user.listUsers({ fieldSelector: UI_FILTER, size: 1 })).data.total).toBe(before);
        expect((await admin.console.user.listUsers({ keyword: 'temp-user' })).data.total).toBe(0);
      });
    });

    describe('GET /api/v1alpha1/roles (core ListRole, GetRole)', () => {
      it('401 for anonymous callers', async () => {
        expect((await failure(anonymous(server.baseUrl).core.role.listRole())).status).toBe(401);
        expect((await failure(anonymous(server.baseUrl).core.role.getRole({ name: 'guest' }))).status).toBe(401);
      });

      it('403 without role-template-view-roles', async () => {
        expect((await failure(viewer.core.role.listRole())).status).toBe(403);
        expect((await failure(viewer.core.role.getRole({ name: 'guest' }))).status).toBe(403);
      });

      it('lists every role unpaged by default, in the list shape of Halo', async () => {
        const roleViewer = await loginAs(server.baseUrl, 'role-viewer', 'role-viewer-password');
        const { data } = await roleViewer.core.role.listRole();
        expect(data.page).toBe(0);
        expect(data.size).toBe(0);
        expect(data.total).toBe(data.items.length);
        expect([data.totalPages, data.first, data.last, data.hasNext, data.hasPrevious]).toEqual([1, true, true, false, false]);
        const superRole = data.items.find((r) => r.metadata.name === 'super-role')!;
        expect(superRole.kind).toBe('Role');
        expect(superRole.rules[0]).toEqual({ apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [], verbs: ['*'] });
        expect(data.items.some((r) => r.metadata.labels?.['halo.run/hidden'] === 'true')).toBeTruthy(); // hidden roles too
      });

      it('selects by label and name, and pages', async () => {
        const visible = await admin.core.role.listRole({ labelSelector: ['!halo.run/hidden'] });
        expect(visible.data.items.every((r) => r.metadata.labels?.['halo.run/hidden'] !== 'true')).toBeTruthy();
        expect(visible.data.items.some((r) => r.metadata.name === 'role-template-view-users')).toBeTruthy();
        const templates = await admin.core.role.listRole({ labelSelector: ['halo.run/role-template=true', '!halo.run/hidden'] });
        expect(templates.data.items.every((r) => r.metadata.name.startsWith('role-template-'))).toBeTruthy();
        const one = await admin.core.role.listRole({ fieldSelector: ['name=super-role'] });
        expect(one.data.items.map((r) => r.metadata.name)).toEqual(['super-role']);
        const paged = await admin.core.role.listRole({ page: 2, size: 3, sort: ['metadata.name,asc'] });
        const all = (await admin.core.role.listRole({ sort: ['metadata.name,asc'] })).data.items.map((r) => r.metadata.name);
        expect(paged.data.items.map((r) => r.metadata.name)).toEqual(all.slice(3, 6));
        expect(paged.data.hasPrevious).toBe(true);
        expect(paged.data.hasNext).toBe(true);
      });

      it('gets one role, 404 for an unknown one', async () => {
        const { data } = await admin.core.role.getRole({ name: 'role-template-manage-users' });
        const dependencies = JSON.parse(data.metadata.annotations?.['rbac.authorization.halo.run/dependencies'] ?? '[]') as string[];
        expect(dependencies.includes('role-template-view-users') && dependencies.includes('role-template-change-password')).toBeTruthy();
        const res = await failure(admin.core.role.getRole({ name: 'no-such-role' }));
        expect(res.status).toBe(404);
        expect(res.data.detail).toBe('Extension v1alpha1/Role/no-such-role was not found.');
      });
    });
  });
}
