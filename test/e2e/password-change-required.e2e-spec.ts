import axios from 'axios';
import { authentikClients, authentikFailure } from '../support/authentik';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { failure, HaloClients, loginAs } from '../support/http';
import { PublicApi, sessionCookie } from '../support/public-api';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';
import { assertZitadelError, createPat, userIdOf } from '../support/zitadel';

for (const kind of testDatabases()) {
  // "Also finish": ZITADEL's changeRequired was stored and shown but not enforced. Now a user
  // whose password was set with it may, after login, only say who they are and change it.
  describe(`changeRequired enforced at login on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;
    let serial = 0;

    /** A user (an administrator: every face has something it may do) whose password an admin set with changeRequired. */
    async function temporaryPasswordUser(): Promise<{ name: string; id: string; password: string }> {
      const name = `temp-${++serial}`;
      await seedUser(server.dataSource, { name, password: `initial password ${name}`, roles: ['super-role'] });
      const id = await userIdOf(server.dataSource, name);
      const password = `temporary password ${name}`;
      const set = await admin.http.post(`/v2/users/${id}/password`, { newPassword: { password, changeRequired: true } });
      expect(set.status).toBe(200);
      return { name, id, password };
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { env: { TRUST_PROXY: '127.0.0.1' } });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    it('login works; then every face refuses everything but "who am I" and the password change, in its own format', async () => {
      const user = await temporaryPasswordUser();
      const login = await axios.post(`${server.baseUrl}/login`, { username: user.name, password: user.password }, { validateStatus: () => true });
      expect(login.status).toBe(200);
      const halo = await loginAs(server.baseUrl, user.name, user.password);

      // Halo: who am I is allowed, anything else is a 403 problem naming the reason.
      expect((await halo.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe(user.name);
      const list = await failure(halo.console.user.listUsers());
      expect(list.status).toBe(403);
      expect(list.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(list.data).toMatchObject({ status: 403, type: 'password-change-required' });
      expect(list.data.detail).toMatch(/password must be changed/);
      expect((await failure(halo.http.get("/apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens"))).status).toBe(403);

      // ZITADEL: PermissionDenied.
      assertZitadelError(await failure(halo.http.get(`/v2/users/${user.id}`)), 403, 7);

      // authentik, through its real client with the session cookie.
      const cookie = await sessionCookie(server.baseUrl, user.name, user.password);
      const refused = await authentikFailure(authentikClients(server.baseUrl, undefined, { Cookie: cookie }).core.coreUsersList({}));
      expect(refused.status).toBe(403);
      // DRF's fixed wording for any refusal (the user is a super-role admin: without the flag this is 200).
      expect(refused.body).toEqual({ detail: 'You do not have permission to perform this action.' });

      // Fresns: its envelope, HTTP 200.
      const fresns = await new PublicApi(server.baseUrl, { ip: '10.11.0.1' }).with({ Cookie: cookie }).post('/api/v2/account/verify-identity', { type: 'email', verifyCode: '123456' });
      expect(fresns.status).toBe(200);
      expect(fresns.json).toMatchObject({ code: 35301, data: null });
    });

    it('Halo ChangeOwnPassword lifts it: the next session may do everything again', async () => {
      const user = await temporaryPasswordUser();
      const halo = await loginAs(server.baseUrl, user.name, user.password);
      const changed = await halo.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: user.password, password: 'my own new password' } });
      expect(changed.status).toBe(200);
      const again = await loginAs(server.baseUrl, user.name, 'my own new password');
      expect((await again.console.user.listUsers()).status).toBe(200);
      expect((await admin.http.get(`/v2/users/${user.id}`)).data.user.human.passwordChangeRequired).toBe(false);
    });

    it('ZITADEL SetPassword with the current password lifts it too; a PAT of an admin is refused while it holds', async () => {
      const user = await temporaryPasswordUser();
      const halo = await loginAs(server.baseUrl, user.name, user.password);
      expect((await failure(createPat(halo, []))).status).toBe(403);
      const set = await halo.http.post(`/v2/users/${user.id}/password`, { currentPassword: user.password, newPassword: { password: 'zitadel new password' } });
      expect(set.status).toBe(200);
      const again = await loginAs(server.baseUrl, user.name, 'zitadel new password');
      expect((await again.http.get(`/v2/users/${user.id}`)).data.user.human.passwordChangeRequired).toBe(false);
    });

    it('the given password cannot be sent back as the new one (Halo and ZITADEL); the flag stays', async () => {
      const user = await temporaryPasswordUser();
      const halo = await loginAs(server.baseUrl, user.name, user.password);
      const same = await failure(halo.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: user.password, password: user.password } }));
      expect(same.status).toBe(400);
      expect(same.data.detail).toBe('The new password must differ from the password you were given: choose one of your own.');
      assertZitadelError(
        await failure(halo.http.post(`/v2/users/${user.id}/password`, { currentPassword: user.password, newPassword: { password: user.password } })),
        400,
        3,
      );
      // Nothing changed: the session still works and is still held to the change.
      expect((await failure(halo.console.user.listUsers())).status).toBe(403);
      expect((await admin.http.get(`/v2/users/${user.id}`)).data.user.human.passwordChangeRequired).toBe(true);
    });

    it('an admin setting a password without changeRequired lifts it as well', async () => {
      const user = await temporaryPasswordUser();
      const before = await loginAs(server.baseUrl, user.name, user.password);
      expect((await failure(before.console.user.listUsers())).status).toBe(403);
      await admin.console.user.changeAnyonePassword({ name: user.name, changePasswordRequest: { password: 'admin chosen password' } });
      const halo = await loginAs(server.baseUrl, user.name, 'admin chosen password');
      expect((await halo.console.user.listUsers()).status).toBe(200);
    });
  });
}
