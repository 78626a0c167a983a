import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

    before(async () => {
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

    after(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('GET /users (ListUsers)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(anonymous(server.baseUrl).console.user.listUsers());
        assert.equal(res.status, 401);
        assert.equal(res.data.status, 401);
      });

      it('403 for a user without role-template-view-users', async () => {
        const nobody = await loginAs(server.baseUrl, 'nobody', 'nobody-password');
        const res = await failure(nobody.console.user.listUsers());
        assert.equal(res.status, 403);
      });

      it('200 for a viewer: every user, the system users included, in 1-based pages of 1000', async () => {
        const { data } = await viewer.console.user.listUsers();
        assert.equal(data.page, 1);
        assert.equal(data.size, 1000);
        assert.equal(data.total, data.items.length);
        assert.equal(data.total, 3 + 1 + 2 + 6 + 25);
        assert.ok(names(data).includes('anonymousUser'));
        assert.ok(names(data).includes('ghost'));
        const ghost = data.items.find((i) => i.user.metadata.name === 'ghost')!;
        assert.equal(ghost.user.metadata.labels?.['halo.run/hidden-user'], 'true');
        assert.equal(ghost.user.spec.disabled, true);
        assert.deepEqual([data.first, data.last, data.hasNext, data.hasPrevious, data.totalPages], [true, true, false, false, 1]);
      });

      it('orders newest first, then by name', async () => {
        const pagers = expectedOrder.filter((n) => n.startsWith('pager-'));
        assert.deepEqual(pagers.slice(0, 5), ['pager-24', 'pager-22', 'pager-23', 'pager-20', 'pager-21']);
        assert.ok(expectedOrder.indexOf('pager-00') < expectedOrder.indexOf('odd'));
        assert.ok(expectedOrder.indexOf('odd') < expectedOrder.indexOf('dave'));
      });

      it('never serializes password hashes or TOTP secrets', async () => {
        const res = await admin.console.user.listUsers();
        const raw = JSON.stringify(res.data);
        assert.equal(raw.includes('"password"'), false);
        assert.equal(raw.includes('argon2'), false);
        assert.equal(raw.includes('totpEncryptedSecret'), false);
      });

      it("filters out the system users with the console's field selectors", async () => {
        const { data } = await admin.console.user.listUsers({ fieldSelector: UI_FILTER });
        assert.equal(data.total, expectedOrder.length - 2);
        assert.equal(names(data).includes('anonymousUser') || names(data).includes('ghost'), false);
      });

      it('pages through every user exactly once, near and far from the start', async () => {
        const size = 7;
        const pages = Math.ceil(expectedOrder.length / size);
        const seen: string[] = [];
        for (let page = 1; page <= pages; page++) {
          const { data } = await admin.console.user.listUsers({ page, size });
          assert.deepEqual(names(data), expectedOrder.slice((page - 1) * size, page * size), `page ${page}`);
          assert.equal(data.totalPages, pages);
          assert.equal(data.hasPrevious, page > 1);
          assert.equal(data.hasNext, page < pages);
          assert.equal(data.first, page === 1);
          assert.equal(data.last, page === pages);
          seen.push(...names(data));
        }
        assert.deepEqual(seen, expectedOrder);
        const beyond = await admin.console.user.listUsers({ page: pages + 1, size });
        assert.deepEqual(beyond.data.items, []);
        assert.equal(beyond.data.total, expectedOrder.length);
        assert.equal(beyond.data.last, true);
      });

      it('pages with the console filter the same way, from either end', async () => {
        const filtered = expectedOrder.filter((n) => n !== 'anonymousUser' && n !== 'ghost');
        for (const page of [1, 3, 6, 7]) {
          const { data } = await admin.console.user.listUsers({ page, size: 6, fieldSelector: UI_FILTER });
          assert.deepEqual(names(data), filtered.slice((page - 1) * 6, page * 6), `page ${page}`);
        }
      });

      it('treats page < 1 as 1, size ≤ 0 as 1000 and caps size at 1000', async () => {
        for (const [page, size, wantPage, wantSize] of [
          [0, 0, 1, 1000],
          [-3, -1, 1, 1000],
          [1, 5000, 1, 1000],
        ] as const) {
          const { data } = await admin.console.user.listUsers({ page, size });
          assert.equal(data.page, wantPage);
          assert.equal(data.size, wantSize);
          assert.equal(data.items.length, expectedOrder.length);
        }
      });

      it('400 for a page that is not a number', async () => {
        const res = await failure(admin.http.get('/apis/api.console.halo.run/v1alpha1/users?page=abc'));
        assert.equal(res.status, 400);
        assert.match(res.data.detail, /page/);
      });

      it('an empty result has totalPages 0 and is both first and last', async () => {
        const { data } = await admin.console.user.listUsers({ keyword: 'no-such-user-anywhere' });
        assert.deepEqual(
          { total: data.total, totalPages: data.totalPages, first: data.first, last: data.last, hasNext: data.hasNext, items: data.items },
          { total: 0, totalPages: 0, first: true, last: true, hasNext: false, items: [] },
        );
      });

      describe('keyword', () => {
        const search = async (keyword: string) => names((await admin.console.user.listUsers({ keyword })).data).sort();

        it('matches an exact email, case-insensitively, but not part of one', async () => {
          assert.deepEqual(await search('holly@reddwarf.test'), ['holly']);
          assert.deepEqual(await search('Dave@RedDwarf.test'), ['dave']);
          assert.deepEqual(await search('reddwarf.test'), []);
        });

        it('matches a display-name substring case-insensitively (long and short keywords)', async () => {
          assert.deepEqual(await search('LISTER'), ['dave']);
          assert.deepEqual(await search('immer'), ['arnold']);
          assert.deepEqual(await search('2x4b-5'), ['kryten']);
          assert.deepEqual(await search('ca'), ['cat']);
          assert.deepEqual(await search('im'), ['arnold']);
          assert.deepEqual(await search('Q'), ['odd']);
        });

        it('matches an exact name', async () => {
          assert.deepEqual(await search('odd'), ['odd']);
          assert.deepEqual(await search('dd'), []);
        });

        it('takes LIKE wildcards and quotes literally', async () => {
          assert.deepEqual(await search('%'), ['odd']);
          assert.deepEqual(await search('_'), ['odd']);
          assert.deepEqual(await search('t_u'), ['odd']);
          assert.deepEqual(await search('"quoted"'), ['odd']);
          assert.deepEqual(await search('a"b'), []);
          assert.deepEqual(await search('e%'), []);
        });

        it('pages the matches and counts them all', async () => {
          const { data } = await admin.console.user.listUsers({ keyword: 'pager', size: 10, page: 3 });
          assert.equal(data.total, 25);
          assert.deepEqual(names(data), expectedOrder.filter((n) => n.startsWith('pager-')).slice(20));
        });
      });

      it('filters by role', async () => {
        const guests = await admin.console.user.listUsers({ role: 'guest' });
        assert.deepEqual(names(guests.data).sort(), ['arnold', 'dave']);
        const viewers = await admin.console.user.listUsers({ role: 'role-template-view-users' });
        assert.deepEqual(names(viewers.data).sort(), ['arnold', 'viewer']);
        const none = await admin.console.user.listUsers({ role: 'no-such-role' });
        assert.equal(none.data.total, 0);
      });

      it('lists hidden roles in ListedUser.roles, unlike the user detail', async () => {
        const listed = await admin.console.user.listUsers({ keyword: 'holly' });
        assert.deepEqual(listed.data.items[0]!.roles.map((r) => r.metadata.name), ['role-template-change-password']);
        const detail = await admin.console.user.getUserDetail({ name: 'holly' });
        assert.deepEqual(detail.data.roles, []);
        const arnold = await admin.console.user.listUsers({ keyword: 'arnold' });
        assert.deepEqual(arnold.data.items[0]!.roles.map((r) => r.metadata.name), ['guest', 'role-template-view-users']);
      });

      describe('fieldSelector', () => {
        const select = async (...fieldSelector: string[]) =>
          names((await admin.console.user.listUsers({ fieldSelector })).data).sort();

        it('on names: =, != and =(a,b), with the name alias', async () => {
          assert.deepEqual(await select('name=(dave,cat)'), ['cat', 'dave']);
          assert.deepEqual(await select('metadata.name=kryten'), ['kryten']);
          assert.deepEqual((await select('name!=dave')).includes('dave'), false);
          assert.deepEqual(await select('name=(dave,cat)', 'name!=cat'), ['dave']);
        });

        it("keeps Halo's parsing: == makes the value start with =", async () => {
          assert.deepEqual(await select('metadata.name==dave'), []);
        });

        it('on roles, email, flags and creation time', async () => {
          assert.deepEqual(await select('roles=guest'), ['arnold', 'dave']);
          assert.deepEqual(await select('roles=(guest,super-role)'), ['admin', 'arnold', 'dave']);
          assert.equal((await select('roles!=guest')).includes('dave'), false);
          assert.deepEqual(await select('spec.email=HOLLY@reddwarf.test'), ['holly']);
          assert.deepEqual(await select('spec.disabled=true'), ['anonymousUser', 'ghost']);
          assert.equal((await select('spec.emailVerified=false')).length, expectedOrder.length);
          assert.deepEqual(await select('spec.displayName=The Cat'), ['cat']);
          const cat = await admin.core.user.getUser({ name: 'cat' });
          assert.deepEqual(await select(`metadata.creationTimestamp=${cat.data.metadata.creationTimestamp}`), ['cat']);
          assert.deepEqual(await select('metadata.deletionTimestamp=2020-01-01T00:00:00Z'), []);
        });

        it('400 on a field Halo does not index, and on a malformed term', async () => {
          for (const term of ['spec.bio=x', '=x', 'name']) {
            const res = await failure(admin.console.user.listUsers({ fieldSelector: [term] }));
            assert.equal(res.status, 400, term);
            assert.match(String(res.headers['content-type']), /application\/problem\+json/);
            assert.match(res.data.detail, /fieldSelector/);
          }
        });
      });

      describe('labelSelector', () => {
        it('selects on labels, and follows label changes made through the core API', async () => {
          const label = async (...labelSelector: string[]) =>
            names((await admin.console.user.listUsers({ labelSelector })).data).sort();
          assert.deepEqual(await label('halo.run/hidden-user=true'), ['anonymousUser', 'ghost']);
          assert.equal((await label('!halo.run/hidden-user')).length, expectedOrder.length - 2);

          const holly = await admin.core.user.getUser({ name: 'holly' });
          await admin.core.user.updateUser({
            name: 'holly',
            user: { ...holly.data, metadata: { ...holly.data.metadata, labels: { team: 'crew' } } },
          });
          assert.deepEqual(await label('team=crew'), ['holly']);
          assert.deepEqual(await label('team'), ['holly']);
          assert.deepEqual(await label('team=(ops,crew)'), ['holly']);
          assert.equal((await label('team!=crew')).includes('holly'), false);

          const again = await admin.core.user.getUser({ name: 'holly' });
          await admin.core.user.updateUser({
            name: 'holly',
            user: { ...again.data, metadata: { ...again.data.metadata, labels: { team: 'ops' } } },
          });
          assert.deepEqual(await label('team=crew'), []);
          assert.deepEqual(await label('team=ops'), ['holly']);
        });
      });

      describe('sort', () => {
        it('sorts on the requested indexed property, then in the default order', async () => {
          const byName = await admin.console.user.listUsers({ sort: ['metadata.name,asc'], fieldSelector: UI_FILTER });
          const sorted = names(byName.data);
          assert.deepEqual(sorted, [...sorted].sort());
          const byDisplay = await admin.console.user.listUsers({
            sort: ['spec.displayName,desc'],
            fieldSelector: ['name=(dave,arnold,kryten,odd)'],
          });
          assert.deepEqual(names(byDisplay.data), ['odd', 'kryten', 'dave', 'arnold']);
          const all = (await admin.console.user.listUsers()).data.items.map((i) => i.user.metadata);
          const oldestFirst = [...all]
            .sort((a, b) => a.creationTimestamp!.localeCompare(b.creationTimestamp!) || a.name.localeCompare(b.name))
            .map((m) => m.name);
          const ascending = await admin.console.user.listUsers({ sort: ['metadata.creationTimestamp,asc'] });
          assert.deepEqual(names(ascending.data), oldestFirst);
        });

        it('sorts on email, and pages that order the same from either end', async () => {
          const asc = names((await admin.console.user.listUsers({ sort: ['spec.email,asc'], size: 100 })).data);
          const pages: string[] = [];
          for (let page = 1; page <= Math.ceil(asc.length / 4); page++) {
            pages.push(...names((await admin.console.user.listUsers({ sort: ['spec.email,asc'], size: 4, page })).data));
          }
          assert.deepEqual(pages, asc);
        });

        it('400 on a property that cannot be sorted on', async () => {
          const res = await failure(admin.console.user.listUsers({ sort: ['spec.bio,asc'] }));
          assert.equal(res.status, 400);
          assert.match(res.data.detail, /sort/);
        });
      });

      it('keeps the total right as users come and go', async () => {
        const before = (await admin.console.user.listUsers({ fieldSelector: UI_FILTER, size: 1 })).data.total;
        await admin.console.user.createUser({ createUserRequest: { name: 'temp-user', email: 'temp@example.test', roles: [] } });
        assert.equal((await admin.console.user.listUsers({ fieldSelector: UI_FILTER, size: 1 })).data.total, before + 1);
        await admin.core.user.deleteUser({ name: 'temp-user' });
        assert.equal((await admin.console.user.listUsers({ fieldSelector: UI_FILTER, size: 1 })).data.total, before);
        assert.equal((await admin.console.user.listUsers({ keyword: 'temp-user' })).data.total, 0);
      });
    });

    describe('GET /api/v1alpha1/roles (core ListRole, GetRole)', () => {
      it('401 for anonymous callers', async () => {
        assert.equal((await failure(anonymous(server.baseUrl).core.role.listRole())).status, 401);
        assert.equal((await failure(anonymous(server.baseUrl).core.role.getRole({ name: 'guest' }))).status, 401);
      });

      it('403 without role-template-view-roles', async () => {
        assert.equal((await failure(viewer.core.role.listRole())).status, 403);
        assert.equal((await failure(viewer.core.role.getRole({ name: 'guest' }))).status, 403);
      });

      it('lists every role unpaged by default, in the list shape of Halo', async () => {
        const roleViewer = await loginAs(server.baseUrl, 'role-viewer', 'role-viewer-password');
        const { data } = await roleViewer.core.role.listRole();
        assert.equal(data.page, 0);
        assert.equal(data.size, 0);
        assert.equal(data.total, data.items.length);
        assert.deepEqual([data.totalPages, data.first, data.last, data.hasNext, data.hasPrevious], [1, true, true, false, false]);
        const superRole = data.items.find((r) => r.metadata.name === 'super-role')!;
        assert.equal(superRole.kind, 'Role');
        assert.deepEqual(superRole.rules[0], { apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [], verbs: ['*'] });
        assert.ok(data.items.some((r) => r.metadata.labels?.['halo.run/hidden'] === 'true'), 'hidden roles too');
      });

      it('selects by label and name, and pages', async () => {
        const visible = await admin.core.role.listRole({ labelSelector: ['!halo.run/hidden'] });
        assert.ok(visible.data.items.every((r) => r.metadata.labels?.['halo.run/hidden'] !== 'true'));
        assert.ok(visible.data.items.some((r) => r.metadata.name === 'role-template-view-users'));
        const templates = await admin.core.role.listRole({ labelSelector: ['halo.run/role-template=true', '!halo.run/hidden'] });
        assert.ok(templates.data.items.every((r) => r.metadata.name.startsWith('role-template-')));
        const one = await admin.core.role.listRole({ fieldSelector: ['name=super-role'] });
        assert.deepEqual(one.data.items.map((r) => r.metadata.name), ['super-role']);
        const paged = await admin.core.role.listRole({ page: 2, size: 3, sort: ['metadata.name,asc'] });
        const all = (await admin.core.role.listRole({ sort: ['metadata.name,asc'] })).data.items.map((r) => r.metadata.name);
        assert.deepEqual(paged.data.items.map((r) => r.metadata.name), all.slice(3, 6));
        assert.equal(paged.data.hasPrevious, true);
        assert.equal(paged.data.hasNext, true);
      });

      it('gets one role, 404 for an unknown one', async () => {
        const { data } = await admin.core.role.getRole({ name: 'role-template-manage-users' });
        const dependencies = JSON.parse(data.metadata.annotations?.['rbac.authorization.halo.run/dependencies'] ?? '[]') as string[];
        assert.ok(dependencies.includes('role-template-view-users') && dependencies.includes('role-template-change-password'));
        const res = await failure(admin.core.role.getRole({ name: 'no-such-role' }));
        assert.equal(res.status, 404);
        assert.equal(res.data.detail, 'Extension v1alpha1/Role/no-such-role was not found.');
      });
    });
  });
}
