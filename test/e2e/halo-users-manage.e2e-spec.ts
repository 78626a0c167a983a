import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { createPat, insertRole } from '../support/accounts';
import { anonymous, failure, HaloClients, loginAs, withToken } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const CONSOLE_USERS = '/apis/api.console.halo.run/v1alpha1/users';

for (const kind of testDatabases()) {
  describe(`managing users on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;
    let manager: HaloClients;
    let viewer: HaloClients;
    let nobody: HaloClients;
    let counter = 0;

    /** A fresh user with a password, created through the API; returns its name. */
    async function newUser(roles: string[] = [], password = 'initial-password'): Promise<string> {
      const name = `member-${++counter}`;
      await admin.console.user.createUser({ createUserRequest: { name, email: `${name}@example.test`, password, roles } });
      return name;
    }

    /** Logs in as `name` and creates a PAT: both must stop working after a revocation. */
    async function credentialsOf(name: string, password = 'initial-password') {
      const session = await loginAs(server.baseUrl, name, password);
      const token = withToken(server.baseUrl, await createPat(session));
      return { session, token };
    }

    async function assertRevoked(credentials: { session: HaloClients; token: HaloClients }): Promise<void> {
      const bySession = await failure(credentials.session.console.user.updateCurrentUser({ user: { metadata: { name: 'x' } } as never }));
      expect(bySession.status).toBe(401); // the old session no longer authenticates
      const byToken = await failure(credentials.token.console.user.getCurrentUserDetail());
      expect(byToken.status).toBe(401); // the old token no longer authenticates
    }

    /** The audit events of user administration about `target`, oldest first, as `actor action outcome`. */
    async function auditOf(target: string): Promise<string[]> {
      const rows: { actor: string; action: string; outcome: string }[] = await server.dataSource.query(
        `SELECT actor, action, outcome FROM audit_events WHERE target = '${target}' AND action LIKE 'user.%' ORDER BY id`,
      );
      return rows.map((r) => `${r.actor} ${r.action} ${r.outcome}`);
    }

    async function canLogIn(name: string, password: string): Promise<boolean> {
      const res = await axios.post(`${server.baseUrl}/login`, { username: name, password }, { validateStatus: () => true });
      return res.status === 200;
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db);
      // Before the first request, while the role graph is not cached yet.
      await insertRole(server.dataSource, 'user-disabler', [
        { apiGroups: ['console.api.security.halo.run'], resources: ['users/disable', 'users/enable'], verbs: ['create'] },
      ]);
      await seedUser(server.dataSource, { name: 'manager', password: 'manager-password', roles: ['role-template-manage-users'] });
      await seedUser(server.dataSource, { name: 'viewer', password: 'viewer-password', roles: ['role-template-view-users'] });
      await seedUser(server.dataSource, { name: 'nobody', password: 'nobody-password' });
      await seedUser(server.dataSource, { name: 'disabler', password: 'disabler-password', roles: ['user-disabler'] });
      await seedUser(server.dataSource, { name: 'root2', password: 'root2-password', roles: ['super-role'] });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      manager = await loginAs(server.baseUrl, 'manager', 'manager-password');
      viewer = await loginAs(server.baseUrl, 'viewer', 'viewer-password');
      nobody = await loginAs(server.baseUrl, 'nobody', 'nobody-password');
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('POST /users (CreateUser)', () => {
      const request = (name: string, extra: Record<string, unknown> = {}) => ({
        createUserRequest: { name, email: `${name}@Example.test`, roles: [], ...extra },
      });

      it('401 for anonymous callers', async () => {
        expect((await failure(anonymous(server.baseUrl).console.user.createUser(request('anon-made')))).status).toBe(401);
      });

      it('403 for a viewer', async () => {
        expect((await failure(viewer.console.user.createUser(request('viewer-made')))).status).toBe(403);
      });

      it('creates the user and its bindings, and answers with the User even without roles', async () => {
        const res = await admin.console.user.createUser(request('created-bare'));
        expect(res.status).toBe(200);
        expect(res.data.kind).toBe('User');
        expect(res.data.metadata.name).toBe('created-bare');
        expect(res.data.spec.displayName).toBe('created-bare'); // display name defaults to the name
        expect(res.data.spec.email).toBe('created-bare@Example.test'); // email kept as given
        expect(res.data.spec.emailVerified).toBe(false);
        expect(res.data.metadata.version).toBe(0);

        const withRoles = await admin.console.user.createUser(
          request('created-full', {
            displayName: 'Created Full',
            password: 'created-password',
            phone: '+1 555 0100',
            bio: 'line one\nline two',
            avatar: 'https://cdn.example.test/a.png',
            annotations: { note: 'hello', 'halo.run/avatar-attachment-name': '0123456789abcdef0123456789abcdef.png' },
            roles: ['role-template-view-users'],
          }),
        );
        expect(withRoles.data.spec.displayName).toBe('Created Full');
        expect(withRoles.data.spec.bio).toBe('line one\nline two');
        expect(withRoles.data.metadata.annotations).toEqual({ note: 'hello' }); // server-managed annotations are dropped
        expect('password' in withRoles.data.spec).toBe(false);
        expect(JSON.stringify(withRoles.data).includes('argon2')).toBe(false);
        const detail = await admin.console.user.getUserDetail({ name: 'created-full' });
        expect(detail.data.roles.map((r) => r.metadata.name)).toEqual(['role-template-view-users']);
        expect(await canLogIn('created-full', 'created-password')).toBeTruthy();
        expect(await canLogIn('created-bare', '')).toBe(false); // no password, no password login
      });

      it('400 Duplicate Name Error for a taken name', async () => {
        const res = await failure(admin.console.user.createUser(request('created-bare')));
        expect(res.status).toBe(400);
        expect(res.data.title).toBe('Duplicate Name Error');
        expect(res.data.detail).toBe('The username created-bare already exists, please rename it and retry.');
      });

      it('400 for an unknown role, and nothing is created', async () => {
        const res = await failure(admin.console.user.createUser(request('with-ghost-role', { roles: ['no-such-role'] })));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('Role [no-such-role] is not found.');
        expect((await failure(admin.console.user.getUserDetail({ name: 'with-ghost-role' }))).status).toBe(404);
      });

      it('a manager creates users with roles it holds, never with roles it lacks (403)', async () => {
        await manager.console.user.createUser(request('by-manager', { roles: ['role-template-view-users'] }));
        const res = await failure(manager.console.user.createUser(request('by-manager-super', { roles: ['super-role'] })));
        expect(res.status).toBe(403);
        expect(res.data.detail).toMatch(/super-role/);
        expect((await failure(admin.console.user.getUserDetail({ name: 'by-manager-super' }))).status).toBe(404);
      });

      it('validates on the server with clear 400 problems', async () => {
        const cases: [Record<string, unknown>, RegExp][] = [
          [{ name: '', email: 'a@example.test' }, /^Name is required$/],
          [{ name: '   ', email: 'a@example.test' }, /^Name is required$/],
          [{ name: 'blank-email', email: '' }, /^Email is required$/],
          [{ name: 'Bad_Name', email: 'a@example.test' }, /name must consist of lower-case letters/],
          [{ name: '-dash', email: 'a@example.test' }, /name must consist/],
          [{ name: 'a'.repeat(64), email: 'a@example.test' }, /name must be at most 63 characters/],
          [{ name: 'long-email', email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}.test` }, /email must be at most 254/],
          [{ name: 'bad-email', email: 'not an email' }, /email must be an email address/],
          [{ name: 'short-pass', email: 'a@example.test', password: 'seven77' }, /password must be between 8 and 128 characters/],
          [{ name: 'long-pass', email: 'a@example.test', password: 'x'.repeat(129) }, /password must be between 8 and 128/],
          [{ name: 'bell', email: 'a@example.test', displayName: 'Bell\u0007' }, /displayName must not contain control characters/],
          [{ name: 'bidi', email: 'a@example.test', displayName: 'evil\u202Egnp.exe' }, /displayName must not contain control characters/],
          [{ name: 'js-avatar', email: 'a@example.test', avatar: 'javascript:alert(1)' }, /avatar must be an http\(s\) URL/],
          [{ name: 'bad-roles', email: 'a@example.test', roles: 'super-role' }, /roles must be an array/],
          [{ name: 'bad-map', email: 'a@example.test', annotations: { a: 1 } }, /annotations must be an object/],
        ];
        for (const [body, detail] of cases) {
          const res = await failure(admin.http.post(CONSOLE_USERS, body));
          expect(res.status).toBe(400);
          expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
          expect(res.data.detail).toMatch(detail);
        }
        for (const body of [undefined, [], 'text']) {
          const res = await failure(admin.http.post(CONSOLE_USERS, body === undefined ? '' : JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } }));
          expect(res.status).toBe(400);
        }
      });

      it('accepts any Unicode password of 8 to 128 characters, counted as characters', async () => {
        const emoji = '🔑'.repeat(8);
        await admin.console.user.createUser(request('unicode-pass', { password: emoji }));
        expect(await canLogIn('unicode-pass', emoji)).toBeTruthy();
        await admin.console.user.createUser(request('max-pass', { password: 'é'.repeat(128) }));
        expect(await canLogIn('max-pass', 'é'.repeat(128))).toBeTruthy();
      });
    });

    describe('POST /users/{name}/permissions (GrantPermission)', () => {
      it('401 for anonymous callers and 403 for a viewer', async () => {
        const target = await newUser();
        const grant = { name: target, grantRequest: { roles: ['guest'] } };
        expect((await failure(anonymous(server.baseUrl).console.user.grantPermission(grant))).status).toBe(401);
        expect((await failure(viewer.console.user.grantPermission(grant))).status).toBe(403);
      });

      it('replaces the roles, answers with the User and ends the sessions and tokens of the user', async () => {
        const target = await newUser(['guest']);
        const credentials = await credentialsOf(target);
        const before = await admin.core.user.getUser({ name: target });
        const res = await admin.console.user.grantPermission({ name: target, grantRequest: { roles: ['role-template-view-users'] } });
        expect(res.status).toBe(200);
        expect(res.data.metadata.name).toBe(target);
        expect(res.data.metadata.version).toBe(before.data.metadata.version! + 1);
        const detail = await admin.console.user.getUserDetail({ name: target });
        expect(detail.data.roles.map((r) => r.metadata.name)).toEqual(['role-template-view-users']);
        await assertRevoked(credentials);
        expect((await auditOf(target)).includes('admin user.roles.grant success')).toBeTruthy();
        const again = await loginAs(server.baseUrl, target, 'initial-password');
        expect((await again.console.user.listUsers({ size: 1 })).status).toBe(200); // the new role applies at once
      });

      it('an unchanged set keeps the sessions', async () => {
        const target = await newUser(['guest']);
        const credentials = await credentialsOf(target);
        await admin.console.user.grantPermission({ name: target, grantRequest: { roles: ['guest'] } });
        expect((await credentials.token.console.user.getCurrentUserDetail()).status).toBe(200);
      });

      it('400 for an unknown role, and nothing changes', async () => {
        const target = await newUser(['guest']);
        const res = await failure(admin.console.user.grantPermission({ name: target, grantRequest: { roles: ['guest', 'no-such-role'] } }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('Role [no-such-role] is not found.');
        const permissions = await admin.console.user.getPermissions({ name: target });
        expect(permissions.data.roles.map((r) => r.metadata.name)).toEqual(['guest']);
      });

      it('404 for an unknown user, with no binding written', async () => {
        const res = await failure(admin.console.user.grantPermission({ name: 'no-such-user', grantRequest: { roles: ['guest'] } }));
        expect(res.status).toBe(404);
        expect(res.data.detail).toBe('Extension v1alpha1/User/no-such-user was not found.');
        const permissions = await admin.console.user.getPermissions({ name: 'no-such-user' });
        expect(permissions.data.roles).toEqual([]);
      });

      it('400 without a roles array', async () => {
        const target = await newUser();
        const res = await failure(admin.http.post(`${CONSOLE_USERS}/${target}/permissions`, {}));
        expect(res.status).toBe(400);
        expect(res.data.detail).toMatch(/roles is required/);
      });

      it('a manager grants only roles it holds, and cannot change the roles of an admin', async () => {
        const target = await newUser();
        await manager.console.user.grantPermission({ name: target, grantRequest: { roles: ['role-template-view-users', 'guest'] } });
        expect((await admin.console.user.getPermissions({ name: target })).data.roles.map((r) => r.metadata.name).sort()).toEqual(['guest', 'role-template-view-users']); // guest grants nothing, so anyone who may grant may grant it
        const escalate = await failure(manager.console.user.grantPermission({ name: target, grantRequest: { roles: ['super-role'] } }));
        expect(escalate.status).toBe(403);
        const demote = await failure(manager.console.user.grantPermission({ name: 'admin', grantRequest: { roles: [] } }));
        expect(demote.status).toBe(403);
        const adminRoles = await admin.console.user.getPermissions({ name: 'admin' });
        expect(adminRoles.data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);
      });

      it('super-role may grant anything, and an empty list removes every role', async () => {
        const target = await newUser(['guest']);
        await admin.console.user.grantPermission({ name: target, grantRequest: { roles: ['super-role'] } });
        expect((await admin.console.user.getPermissions({ name: target })).data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);
        await admin.console.user.grantPermission({ name: target, grantRequest: { roles: [] } });
        expect((await admin.console.user.getPermissions({ name: target })).data.roles).toEqual([]);
      });

      it('400 when it would take super-role from the last enabled super-role user', async () => {
        const sole = await newUser(['super-role']);
        // Make `sole` the only enabled super-role user: disable root2, take super-role from admin.
        await admin.console.user.disableUser({ username: 'root2' });
        const soleClients = await loginAs(server.baseUrl, sole, 'initial-password');
        await soleClients.console.user.grantPermission({ name: 'admin', grantRequest: { roles: [] } });
        try {
          const res = await failure(soleClients.console.user.grantPermission({ name: sole, grantRequest: { roles: ['guest'] } }));
          expect(res.status).toBe(400);
          expect(res.data.detail).toBe("The user is the last enabled super-role user, the role super-role can't be removed from it.");
        } finally {
          await soleClients.console.user.grantPermission({ name: 'admin', grantRequest: { roles: ['super-role'] } });
          admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
          await admin.console.user.enableUser({ username: 'root2' });
          await admin.console.user.grantPermission({ name: sole, grantRequest: { roles: [] } });
        }
      });
    });

    describe('PUT /users/{name}/password (ChangeAnyonePassword)', () => {
      it('401 for anonymous callers and 403 for a viewer', async () => {
        const target = await newUser();
        const call = { name: target, changePasswordRequest: { password: 'another-password' } };
        expect((await failure(anonymous(server.baseUrl).console.user.changeAnyonePassword(call))).status).toBe(401);
        expect((await failure(viewer.console.user.changeAnyonePassword(call))).status).toBe(403);
      });

      it('sets the password, answers with the User and ends the sessions and tokens of the user', async () => {
        const target = await newUser();
        const credentials = await credentialsOf(target);
        const res = await manager.console.user.changeAnyonePassword({ name: target, changePasswordRequest: { password: 'reset-password' } });
        expect(res.status).toBe(200);
        expect(res.data.metadata.name).toBe(target);
        expect(JSON.stringify(res.data).includes('argon2')).toBe(false);
        await assertRevoked(credentials);
        expect(await canLogIn(target, 'reset-password')).toBeTruthy();
        expect(await canLogIn(target, 'initial-password')).toBe(false);
        expect((await auditOf(target)).includes('manager user.password.set success')).toBeTruthy();
        const details = JSON.stringify(await server.dataSource.query(`SELECT details FROM audit_events WHERE target = '${target}'`));
        expect(details.includes('reset-password')).toBe(false); // no password in the audit trail
      });

      it('404 for an unknown user', async () => {
        const res = await failure(admin.console.user.changeAnyonePassword({ name: 'no-such-user', changePasswordRequest: { password: 'another-password' } }));
        expect(res.status).toBe(404);
        expect(res.data.detail).toBe('User no-such-user was not found');
      });

      it('400 for a password outside 8–128 characters', async () => {
        const target = await newUser();
        const res = await failure(admin.console.user.changeAnyonePassword({ name: target, changePasswordRequest: { password: 'short' } }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('password must be between 8 and 128 characters');
      });

      it('403 when a manager resets the password of an admin, which keeps working', async () => {
        const res = await failure(manager.console.user.changeAnyonePassword({ name: 'admin', changePasswordRequest: { password: 'taken-over-1' } }));
        expect(res.status).toBe(403);
        expect(await canLogIn('admin', ADMIN_PASSWORD)).toBeTruthy();
      });

      it('400 for a system user', async () => {
        const res = await failure(admin.console.user.changeAnyonePassword({ name: 'anonymousUser', changePasswordRequest: { password: 'anonymous-pass' } }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('The user anonymousUser is a system user and cannot be changed.');
      });

      it("'-' reaches ChangeOwnPassword, as in Halo: without the old password it is refused", async () => {
        const res = await failure(admin.console.user.changeAnyonePassword({ name: '-', changePasswordRequest: { password: 'another-password' } }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('The old password does not match.');
        expect(await canLogIn('admin', ADMIN_PASSWORD)).toBeTruthy();
      });
    });

    describe('POST /apis/console.api.security.halo.run/v1alpha1/users/{username}/disable|enable', () => {
      it('401 for anonymous callers, 403 for a user manager (only super-role may by default)', async () => {
        const target = await newUser();
        expect((await failure(anonymous(server.baseUrl).console.user.disableUser({ username: target }))).status).toBe(401);
        expect((await failure(manager.console.user.disableUser({ username: target }))).status).toBe(403);
        expect((await failure(anonymous(server.baseUrl).console.user.enableUser({ username: target }))).status).toBe(401);
        expect((await failure(manager.console.user.enableUser({ username: target }))).status).toBe(403);
      });

      it('disables: the user answers, its sessions and tokens end, login is refused; enabling lets it back in', async () => {
        const target = await newUser();
        const credentials = await credentialsOf(target);
        const res = await admin.console.user.disableUser({ username: target });
        expect(res.status).toBe(200);
        expect(res.data.spec.disabled).toBe(true);
        await assertRevoked(credentials);
        expect(await canLogIn(target, 'initial-password')).toBe(false);
        const listed = await admin.console.user.listUsers({ fieldSelector: [`name=${target}`, 'spec.disabled=true'] });
        expect(listed.data.total).toBe(1);

        const enabled = await admin.console.user.enableUser({ username: target });
        expect(enabled.data.spec.disabled).toBe(false);
        expect(await canLogIn(target, 'initial-password')).toBeTruthy();
        expect(await auditOf(target)).toEqual(['admin user.create success', 'admin user.disable success', 'admin user.enable success']);
      });

      it("Halo's 400s: yourself, unknown or already disabled, unknown or already enabled", async () => {
        const self = await failure(admin.console.user.disableUser({ username: 'admin' }));
        expect(self.status).toBe(400);
        expect(self.data.detail).toBe("The user is the current user, can't disable it.");
        for (const username of ['no-such-user', 'ghost']) {
          const res = await failure(admin.console.user.disableUser({ username }));
          expect(res.status).toBe(400);
          expect(res.data.detail).toBe('The user was not found or has been disabled.');
        }
        const target = await newUser();
        for (const username of ['no-such-user', target]) {
          const res = await failure(admin.console.user.enableUser({ username }));
          expect(res.status).toBe(400);
          expect(res.data.detail).toBe('The user was not found or has been enabled.');
        }
        const system = await failure(admin.console.user.enableUser({ username: 'anonymousUser' }));
        expect(system.status).toBe(400);
        expect(system.data.detail).toBe('The user anonymousUser is a system user and cannot be changed.');
      });

      it('a custom role with the rule may disable users, but not one holding roles it lacks', async () => {
        const disabler = await loginAs(server.baseUrl, 'disabler', 'disabler-password');
        const target = await newUser();
        expect((await disabler.console.user.disableUser({ username: target })).data.spec.disabled).toBe(true);
        const res = await failure(disabler.console.user.disableUser({ username: 'admin' }));
        expect(res.status).toBe(403);
        expect(await canLogIn('admin', ADMIN_PASSWORD)).toBeTruthy();
      });

      it('two super-role users disabling each other at once never leave no enabled super-role user', async () => {
        const first = await newUser(['super-role'], 'first-password');
        const second = await newUser(['super-role'], 'second-password');
        // Leave exactly these two as the enabled super-role users.
        await admin.console.user.disableUser({ username: 'root2' });
        const a = await loginAs(server.baseUrl, first, 'first-password');
        const b = await loginAs(server.baseUrl, second, 'second-password');
        await a.console.user.disableUser({ username: 'admin' });
        const enabledSupers: { name: string }[] = await server.dataSource.query(
          `SELECT u.name FROM users u JOIN role_bindings b ON b.subject_name = u.name
            WHERE b.role_name = 'super-role' AND u.disabled = ${kind === 'postgres' ? 'false' : '0'} ORDER BY u.name`,
        );
        expect(enabledSupers.map((u) => u.name)).toEqual([first, second].sort());
        try {
          const results = await Promise.allSettled([
            a.console.user.disableUser({ username: second }),
            b.console.user.disableUser({ username: first }),
          ]);
          const succeeded = results.filter((r) => r.status === 'fulfilled').length;
          expect(succeeded).toBe(1); // exactly one of the two succeeds
          for (const r of results) {
            if (r.status === 'rejected') {
              const status = (r.reason as { response?: { status?: number } }).response?.status;
              expect(status === 400 || status === 401).toBeTruthy();
            }
          }
        } finally {
          const survivor = (await canLogIn(first, 'first-password')) ? a : b;
          const fresh = await loginAs(server.baseUrl, survivor === a ? first : second, survivor === a ? 'first-password' : 'second-password');
          await fresh.console.user.enableUser({ username: 'admin' });
          admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
          await admin.console.user.enableUser({ username: 'root2' });
          for (const name of [first, second]) {
            await admin.console.user.enableUser({ username: name }).catch(() => undefined);
          }
        }
      });
    });

    describe('core /api/v1alpha1/users/{name}', () => {
      it('GET: 401 anonymous, 403 without view-users, the User for a viewer, 404 for an unknown name', async () => {
        expect((await failure(anonymous(server.baseUrl).core.user.getUser({ name: 'admin' }))).status).toBe(401);
        expect((await failure(nobody.core.user.getUser({ name: 'admin' }))).status).toBe(403);
        const { data } = await viewer.core.user.getUser({ name: 'admin' });
        expect(data.metadata.name).toBe('admin');
        expect('password' in data.spec).toBe(false);
        const res = await failure(viewer.core.user.getUser({ name: 'no-such-user' }));
        expect(res.status).toBe(404);
        expect(res.data.type).toBe('https://www.halo.run/api/errors/extension-not-found');
        expect(res.data.detail).toBe('Extension v1alpha1/User/no-such-user was not found.');
      });

      it('PUT: 401 anonymous, 403 for a viewer', async () => {
        const target = await newUser();
        const { data } = await admin.core.user.getUser({ name: target });
        expect((await failure(anonymous(server.baseUrl).core.user.updateUser({ name: target, user: data }))).status).toBe(401);
        expect((await failure(viewer.core.user.updateUser({ name: target, user: data }))).status).toBe(403);
      });

      it('PUT: updates the writable fields and the version; a stale version is a 409 conflict', async () => {
        const target = await newUser();
        const { data } = await admin.core.user.getUser({ name: target });
        const updated = await manager.core.user.updateUser({
          name: target,
          user: {
            ...data,
            metadata: { ...data.metadata, labels: { team: 'blue' }, annotations: { note: 'x' } },
            spec: { ...data.spec, displayName: 'Renamed', phone: '123', bio: 'bio', avatar: 'https://cdn.example.test/x.png' },
          },
        });
        expect(updated.data.metadata.version).toBe(data.metadata.version! + 1);
        expect(updated.data.spec.displayName).toBe('Renamed');
        expect(updated.data.metadata.labels).toEqual({ team: 'blue' });
        expect(updated.data.spec.avatar).toBe('https://cdn.example.test/x.png');

        const stale = await failure(manager.core.user.updateUser({ name: target, user: { ...data, spec: { ...data.spec, displayName: 'Lost update' } } }));
        expect(stale.status).toBe(409);
        expect(stale.data.type).toBe('https://halo.run/probs/conflict');
        expect(stale.data.detail).toBe('Conflict detected, please check the data and retry.');
        expect((await admin.core.user.getUser({ name: target })).data.spec.displayName).toBe('Renamed');
      });

      it('PUT: never writes password, disabled or server-managed annotations from the body', async () => {
        const target = await newUser();
        const { data } = await admin.core.user.getUser({ name: target });
        await admin.core.user.updateUser({
          name: target,
          user: {
            ...data,
            metadata: { ...data.metadata, annotations: { 'halo.run/avatar-attachment-name': 'ffffffffffffffffffffffffffffffff.png' } },
            spec: { ...data.spec, password: 'plain-text-password', disabled: true, totpEncryptedSecret: 'x' } as never,
          },
        });
        const after = await admin.core.user.getUser({ name: target });
        expect(after.data.spec.disabled).toBe(false);
        expect(after.data.metadata.annotations).toEqual({});
        expect(await canLogIn(target, 'initial-password')).toBeTruthy();
        expect(await canLogIn(target, 'plain-text-password')).toBe(false);
      });

      it('PUT: a changed email revokes the recovery links mailed to the old address', async () => {
        const target = await newUser();
        await admin.http.post(`/apis/api.console.halo.run/v1alpha1/users/${target}/recovery-email`, {});
        const live = async (): Promise<number> => {
          const rows: { n: number | string }[] = await server.dataSource.query(
            `SELECT COUNT(*) AS n FROM verification_codes c JOIN users u ON u.id = c.user_id
              WHERE u.name = '${target}' AND c.purpose = 'recovery' AND c.consumed_at IS NULL AND c.revoked_at IS NULL`,
          );
          return Number(rows[0]!.n);
        };
        expect(await live()).toBe(1); // a recovery link was issued
        const { data } = await admin.core.user.getUser({ name: target });
        await admin.core.user.updateUser({ name: target, user: { ...data, spec: { ...data.spec, displayName: 'Same Address' } } });
        expect(await live()).toBe(1); // other edits keep the link
        const fresh = (await admin.core.user.getUser({ name: target })).data;
        await admin.core.user.updateUser({ name: target, user: { ...fresh, spec: { ...fresh.spec, email: `moved-${target}@example.test` } } });
        expect(await live()).toBe(0); // the link to the old address is dead
      });

      it('PUT: a changed email is not verified, whatever the body says', async () => {
        const target = await newUser();
        let { data } = await admin.core.user.getUser({ name: target });
        data = (await admin.core.user.updateUser({ name: target, user: { ...data, spec: { ...data.spec, emailVerified: true } } })).data;
        expect(data.spec.emailVerified).toBe(true); // an admin may mark the current address verified, as in Halo
        const moved = await admin.core.user.updateUser({
          name: target,
          user: { ...data, spec: { ...data.spec, email: 'elsewhere@example.test', emailVerified: true } },
        });
        expect(moved.data.spec.email).toBe('elsewhere@example.test');
        expect(moved.data.spec.emailVerified).toBe(false);
      });

      it('PUT: 400 when the email is verified for another user', async () => {
        const one = await newUser();
        const two = await newUser();
        const first = (await admin.core.user.getUser({ name: one })).data;
        await admin.core.user.updateUser({ name: one, user: { ...first, spec: { ...first.spec, email: 'shared@example.test' } } });
        const again = (await admin.core.user.getUser({ name: one })).data;
        await admin.core.user.updateUser({ name: one, user: { ...again, spec: { ...again.spec, emailVerified: true } } });
        const second = (await admin.core.user.getUser({ name: two })).data;
        await admin.core.user.updateUser({ name: two, user: { ...second, spec: { ...second.spec, email: 'SHARED@example.test' } } });
        const latest = (await admin.core.user.getUser({ name: two })).data;
        const res = await failure(admin.core.user.updateUser({ name: two, user: { ...latest, spec: { ...latest.spec, emailVerified: true } } }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('The email has been used, please change the email and retry.');
      });

      it('PUT: 400 for a name mismatch, a missing version or bad fields; 403 on an admin for a manager', async () => {
        const target = await newUser();
        const { data } = await admin.core.user.getUser({ name: target });
        const mismatch = await failure(admin.core.user.updateUser({ name: target, user: { ...data, metadata: { ...data.metadata, name: 'other' } } }));
        expect(mismatch.status).toBe(400);
        const noVersion = await failure(admin.core.user.updateUser({ name: target, user: { ...data, metadata: { ...data.metadata, version: undefined } } }));
        expect(noVersion.status).toBe(400);
        expect(noVersion.data.detail).toMatch(/metadata.version is required/);
        const badName = await failure(admin.core.user.updateUser({ name: target, user: { ...data, spec: { ...data.spec, displayName: '\u0000' } } }));
        expect(badName.status).toBe(400);
        const adminUser = (await admin.core.user.getUser({ name: 'admin' })).data;
        const takeover = await failure(manager.core.user.updateUser({ name: 'admin', user: { ...adminUser, spec: { ...adminUser.spec, email: 'me@evil.test' } } }));
        expect(takeover.status).toBe(403);
        const system = (await admin.core.user.getUser({ name: 'ghost' })).data;
        expect((await failure(admin.core.user.updateUser({ name: 'ghost', user: system }))).status).toBe(400);
      });

      it('DELETE: 401 anonymous, 403 for a viewer', async () => {
        const target = await newUser();
        expect((await failure(anonymous(server.baseUrl).core.user.deleteUser({ name: target }))).status).toBe(401);
        expect((await failure(viewer.core.user.deleteUser({ name: target }))).status).toBe(403);
      });

      it('DELETE: removes the user with its roles, sessions and tokens', async () => {
        const target = await newUser(['guest']);
        const credentials = await credentialsOf(target);
        const res = await manager.core.user.deleteUser({ name: target });
        expect(res.status).toBe(200);
        expect((res.data as unknown as { metadata: { name: string; deletionTimestamp: string } }).metadata.name).toBe(target);
        expect((res.data as unknown as { metadata: { deletionTimestamp: string } }).metadata.deletionTimestamp).toBeTruthy();
        expect((await failure(admin.core.user.getUser({ name: target }))).status).toBe(404);
        expect((await admin.console.user.getPermissions({ name: target })).data.roles).toEqual([]);
        await assertRevoked(credentials);
        expect(await canLogIn(target, 'initial-password')).toBe(false);
        const tokens: unknown[] = await server.dataSource.query(`SELECT id FROM personal_access_tokens WHERE username = '${target}'`);
        expect(tokens).toEqual([]); // the tokens are gone, not merely revoked
      });

      it('DELETE: 400 for yourself and system users, 403 on an admin for a manager, 404 for an unknown user', async () => {
        const self = await failure(admin.core.user.deleteUser({ name: 'admin' }));
        expect(self.status).toBe(400);
        expect(self.data.detail).toBe("The user is the current user, can't delete it.");
        expect((await failure(admin.core.user.deleteUser({ name: 'anonymousUser' }))).status).toBe(400);
        expect((await failure(manager.core.user.deleteUser({ name: 'admin' }))).status).toBe(403);
        expect((await failure(admin.core.user.deleteUser({ name: 'no-such-user' }))).status).toBe(404);
      });
    });
  });
}
