import axios, { AxiosRequestConfig, AxiosResponse } from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { HaloClients, loginAs } from '../support/http';
import { PNG_1X1 } from '../support/images';
import { seedUser } from '../support/seed';
import { startTestServer, TestServer } from '../support/test-server';
import { createPat, userIdOf } from '../support/zitadel';

const PUBLIC_URL = 'http://console.example.test';
const EVIL = 'https://evil.example';
const SIBLING = 'http://blog.example.test';
const AVATAR = '/apis/api.console.halo.run/v1alpha1/users/-/avatar';

for (const kind of testDatabases()) {
  // CSRF: state-changing requests that carry the session cookie must come from PUBLIC_URL's
  // origin (Origin, or Sec-Fetch-Site); cookie-less callers are not affected.
  describe(`cross-site requests on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let member: HaloClients;
    let memberId: string;

    const avatarForm = () => {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(PNG_1X1)], 'me.png', { type: 'image/png' }));
      return form;
    };
    const avatarOf = async (): Promise<string | undefined> => (await member.http.get('/apis/api.console.halo.run/v1alpha1/users/-')).data.user.spec.avatar;
    /** A request from `member`'s browser (its cookies), with the given browser headers. */
    const fromBrowser = (method: 'post' | 'put', url: string, body: unknown, headers: Record<string, string>, extra: AxiosRequestConfig = {}): Promise<AxiosResponse> =>
      member.http.request({ method, url, data: body, headers, validateStatus: () => true, ...extra });
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

    function assertHaloRefusal(res: AxiosResponse): void {
      expect(res.status).toBe(403);
      expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
      expect(res.data.detail).toBe('Cross-site request refused: the request does not come from this site.');
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { env: { PUBLIC_URL } });
      await seedUser(server.dataSource, { name: 'csrf-member', password: 'csrf-member-password', email: 'csrf-member@example.test' });
      memberId = await userIdOf(server.dataSource, 'csrf-member');
    });

    beforeEach(async () => {
      server.clock.advance(61_000);
      member = await loginAs(server.baseUrl, 'csrf-member', 'csrf-member-password');
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    it('a cross-origin multipart avatar upload with the cookie is 403 and changes nothing', async () => {
      const before = await avatarOf();
      assertHaloRefusal(await fromBrowser('post', AVATAR, avatarForm(), { Origin: EVIL, 'Sec-Fetch-Site': 'cross-site' }));
      assertHaloRefusal(await fromBrowser('post', AVATAR, avatarForm(), { Origin: EVIL })); // a browser without Sec-Fetch-Site
      assertHaloRefusal(await fromBrowser('post', AVATAR, avatarForm(), { 'Sec-Fetch-Site': 'cross-site' })); // no Origin
      expect(await avatarOf()).toBe(before);
    });

    it('a sibling subdomain (same site, SameSite=Lax lets the cookie through) is refused too', async () => {
      assertHaloRefusal(await fromBrowser('post', AVATAR, avatarForm(), { Origin: SIBLING, 'Sec-Fetch-Site': 'same-site' }));
      assertHaloRefusal(await fromBrowser('post', AVATAR, avatarForm(), { Origin: SIBLING }));
    });

    it("the console's own requests pass: Origin = PUBLIC_URL, or Sec-Fetch-Site: same-origin under another host name", async () => {
      expect((await fromBrowser('post', AVATAR, avatarForm(), { Origin: PUBLIC_URL, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
      expect((await fromBrowser('post', AVATAR, avatarForm(), { Origin: PUBLIC_URL })).status).toBe(200);
      expect((await fromBrowser('post', AVATAR, avatarForm(), { Origin: server.baseUrl, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
      expect((await fromBrowser('post', AVATAR, avatarForm(), {})).status).toBe(200); // no browser headers at all: not a browser
      expect((await avatarOf())!).toMatch(/^http:\/\/console\.example\.test\/avatars\//);
    });

    it('a cross-origin form post to /logout is 403 and the session lives on', async () => {
      assertHaloRefusal(await fromBrowser('post', '/logout', form({}), { ...FORM, Origin: EVIL }));
      expect((await member.http.get('/apis/api.console.halo.run/v1alpha1/users/-')).data.user.metadata.name).toBe('csrf-member');
      expect((await fromBrowser('post', '/logout', form({}), { ...FORM, Origin: PUBLIC_URL })).status).toBe(204);
    });

    it('a cross-origin form post to /login is 403 even without a cookie (login CSRF), and sets no cookie', async () => {
      const body = form({ username: 'csrf-member', password: 'csrf-member-password' });
      const forged = await axios.post(`${server.baseUrl}/login`, body, { headers: { ...FORM, Origin: EVIL }, validateStatus: () => true });
      assertHaloRefusal(forged);
      expect(forged.headers['set-cookie']).toBe(undefined);
      const sibling = await axios.post(`${server.baseUrl}/login`, body, { headers: { ...FORM, 'Sec-Fetch-Site': 'same-site' }, validateStatus: () => true });
      assertHaloRefusal(sibling);
      const own = await axios.post(`${server.baseUrl}/login`, body, { headers: { ...FORM, Origin: PUBLIC_URL, 'X-Requested-With': 'XMLHttpRequest' } });
      expect(own.status).toBe(200);
    });

    it('a refused login counts no failure', async () => {
      for (let i = 0; i < 12; i++) {
        const res = await axios.post(`${server.baseUrl}/login`, { username: 'csrf-member', password: `wrong-${i}` }, { headers: { Origin: EVIL }, validateStatus: () => true });
        expect(res.status).toBe(403);
      }
      expect((await axios.post(`${server.baseUrl}/login`, { username: 'csrf-member', password: 'csrf-member-password' })).status).toBe(200);
    });

    it('a bearer token is exempt, and cookie-less API calls are unaffected, whatever Origin they send', async () => {
      const token = await createPat(member);
      const res = await axios.post(`${server.baseUrl}${AVATAR}`, avatarForm(), {
        headers: { Authorization: `Bearer ${token}`, Origin: EVIL, 'Sec-Fetch-Site': 'cross-site' },
      });
      expect(res.status).toBe(200);
      // A public route without a cookie: the face's own answer, not a 403.
      const verify = await axios.post(`${server.baseUrl}/v2/users/${memberId}/email/verify`, { verificationCode: '123456' }, { headers: { Origin: EVIL }, validateStatus: () => true });
      expect(verify.status).toBe(400);
    });

    it("each face answers the refusal in its own format", async () => {
      const headers = { Origin: EVIL, 'Sec-Fetch-Site': 'cross-site' };
      const zitadel = await fromBrowser('post', `/v2/users/${memberId}/email/send`, {}, headers);
      expect(zitadel.status).toBe(403);
      expect(zitadel.data.code).toBe(7); // PermissionDenied
      expect(zitadel.data.details[0]['@type']).toBe('type.googleapis.com/zitadel.v1.ErrorDetail');

      const authentik = await fromBrowser('post', `/api/v3/core/users/${memberId}/recovery/`, {}, headers);
      expect(authentik.status).toBe(403);
      expect(Object.keys(authentik.data)).toEqual(['detail']);

      const fresns = await fromBrowser('post', '/api/v2/common/send-verify-code', { type: 'email', useType: 4, templateId: 4, account: 'csrf-member@example.test' }, headers);
      expect(fresns.data.code).toBe(35301);

      const anqicms = await fromBrowser('post', '/api/verify/email', { email: 'csrf-member@example.test', state: 'verify' }, headers);
      expect(anqicms.data.code).toBe(1002);
    });
  });
}
