import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import type { User } from '@halo-dev/api-client';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { createPat } from '../support/accounts';
import { anonymous, failure, HaloClients, loginAs, withToken } from '../support/http';
import { GIF_1X1, imageFile, JPEG_STUB, PNG_1X1 } from '../support/images';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const CONSOLE_USERS = '/apis/api.console.halo.run/v1alpha1/users';

/*
 * The self-service routes (`PUT /users/-`, `PUT /users/-/password`, `POST|DELETE /users/-/avatar`)
 * have no 403 case: every authenticated principal, tokens included, carries the hidden
 * `authenticated` role and its own-user-info templates, as in Halo. Their 403 tests act on
 * another user's name instead, where the rule does apply.
 */
for (const kind of testDatabases()) {
  describe(`self-service and avatars on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;
    let counter = 0;

    async function newMember(): Promise<{ name: string; clients: HaloClients }> {
      const name = `self-${++counter}`;
      await admin.console.user.createUser({
        createUserRequest: { name, email: `${name}@example.test`, displayName: `Self ${counter}`, password: 'member-password', roles: [] },
      });
      return { name, clients: await loginAs(server.baseUrl, name, 'member-password') };
    }

    const avatarFiles = () => {
      try {
        return readdirSync(join(db.dataDir, 'avatars')).sort();
      } catch {
        return [];
      }
    };

    const current = async (clients: HaloClients): Promise<User> => (await clients.console.user.getCurrentUserDetail()).data.user;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db);
      await seedUser(server.dataSource, { name: 'manager', password: 'manager-password', roles: ['role-template-manage-users'] });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('PUT /users/- (UpdateCurrentUser)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(anonymous(server.baseUrl).console.user.updateCurrentUser({ user: { metadata: { name: 'x' } } as never }));
        expect(res.status).toBe(401);
      });

      it('copies display name, bio, phone and the 2FA flag, and ignores email, avatar, password and disabled', async () => {
        const { name, clients } = await newMember();
        const user = await current(clients);
        const res = await clients.console.user.updateCurrentUser({
          user: {
            ...user,
            metadata: { ...user.metadata, labels: { sneaky: 'label' } },
            spec: {
              ...user.spec,
              displayName: 'New Name',
              bio: 'about me',
              phone: '+44 20 7946 0000',
              email: 'hijack@evil.test',
              emailVerified: true,
              avatar: 'https://evil.test/x.png',
              password: 'plain-text',
              disabled: true,
            },
          },
        });
        expect(res.data.spec.displayName).toBe('New Name');
        expect(res.data.spec.bio).toBe('about me');
        expect(res.data.spec.phone).toBe('+44 20 7946 0000');
        expect(res.data.spec.email).toBe(`${name}@example.test`);
        expect(res.data.spec.emailVerified).toBe(false);
        expect(res.data.spec.avatar).toBe(undefined);
        expect(res.data.spec.disabled).toBe(false);
        expect(res.data.metadata.labels).toBe(undefined);
        expect(res.data.metadata.version).toBe(user.metadata.version! + 1);
        expect((await axios.post(`${server.baseUrl}/login`, { username: name, password: 'member-password' })).status === 200).toBeTruthy();

        const cleared = await clients.console.user.updateCurrentUser({ user: { ...res.data, spec: { displayName: 'Only Name' } } as User });
        expect(cleared.data.spec.bio).toBe(undefined); // an omitted field is cleared, as in Halo
        expect(cleared.data.spec.phone).toBe(undefined);
        // The caller's detail is one shared answer whose JSON the server keeps: the change shows at once.
        const after = await current(clients);
        expect(after.spec.displayName).toBe('Only Name');
        expect(after.metadata.version).toBe(cleared.data.metadata.version);
      });

      it('replaces annotations when some are sent, keeping the server-managed ones', async () => {
        const { clients } = await newMember();
        await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') });
        const user = await current(clients);
        const fileName = user.metadata.annotations!['halo.run/avatar-attachment-name']!;
        const res = await clients.console.user.updateCurrentUser({
          user: { ...user, metadata: { ...user.metadata, annotations: { mine: 'yes', 'halo.run/avatar-attachment-name': 'other.png' } } },
        });
        expect(res.data.metadata.annotations).toEqual({ mine: 'yes', 'halo.run/avatar-attachment-name': fileName });
        const kept = await clients.console.user.updateCurrentUser({ user: { ...res.data, metadata: { ...res.data.metadata, annotations: {} } } });
        expect(kept.data.metadata.annotations).toEqual(res.data.metadata.annotations); // empty annotations keep the stored ones
      });

      it("400 Username didn't match. for another name or an empty body", async () => {
        const { clients } = await newMember();
        const user = await current(clients);
        const other = await failure(clients.console.user.updateCurrentUser({ user: { ...user, metadata: { ...user.metadata, name: 'admin' } } }));
        expect(other.status).toBe(400);
        expect(other.data.detail).toBe("Username didn't match.");
        const empty = await failure(clients.http.put(`${CONSOLE_USERS}/-`, {}));
        expect(empty.status).toBe(400);
        expect(empty.data.detail).toBe("Username didn't match.");
      });

      it('400 Restricted Name for a protected display name, unless it is unchanged', async () => {
        const { clients } = await newMember();
        const user = await current(clients);
        const res = await failure(clients.console.user.updateCurrentUser({ user: { ...user, spec: { ...user.spec, displayName: ' Administrator ' } } }));
        expect(res.status).toBe(400);
        expect(res.data.title).toBe('Restricted Name');
        expect(res.data.detail).toBe('The display name  Administrator  is a reserved name, please change it and retry.');
        // The bootstrap admin is named "admin": saving its profile unchanged must keep working.
        const me = await current(admin);
        expect((await admin.console.user.updateCurrentUser({ user: me })).status).toBe(200);
      });

      it('400 for a missing display name or control characters', async () => {
        const { clients } = await newMember();
        const user = await current(clients);
        const missing = await failure(clients.console.user.updateCurrentUser({ user: { ...user, spec: { ...user.spec, displayName: '' } } }));
        expect(missing.status).toBe(400);
        expect(missing.data.detail).toBe('spec.displayName is required');
        const bidi = await failure(clients.console.user.updateCurrentUser({ user: { ...user, spec: { ...user.spec, displayName: 'x\u2066y' } } }));
        expect(bidi.status).toBe(400);
        expect(bidi.data.detail).toBe('spec.displayName must not contain control characters, bidirectional overrides or non-characters');
      });
    });

    describe('PUT /users/-/password (ChangeOwnPassword)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(
          anonymous(server.baseUrl).console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'a', password: 'new-password' } }),
        );
        expect(res.status).toBe(401);
      });

      it('changes the password, answers with the User and ends every session and token of the user', async () => {
        const { name, clients } = await newMember();
        const token = withToken(server.baseUrl, await createPat(clients));
        const res = await clients.console.user.changeOwnPassword({
          changeOwnPasswordRequest: { oldPassword: 'member-password', password: 'パスワード-new-1' },
        });
        expect(res.status).toBe(200);
        expect(res.data.metadata.name).toBe(name);
        expect(JSON.stringify(res.data).includes('argon2')).toBe(false);
        expect((await failure(clients.console.user.updateCurrentUser({ user: res.data }))).status).toBe(401); // own session too, as in Halo
        expect((await failure(token.console.user.getCurrentUserDetail())).status).toBe(401);
        const again = await loginAs(server.baseUrl, name, 'パスワード-new-1');
        expect((await current(again)).metadata.name).toBe(name);
        const old = await failure(axios.post(`${server.baseUrl}/login`, { username: name, password: 'member-password' }));
        expect(old.status).toBe(401);
      });

      it('400 Unsatisfied Request Attribute value when the old password does not match', async () => {
        const { clients } = await newMember();
        const res = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'wrong', password: 'new-password' } }));
        expect(res.status).toBe(400);
        expect(res.data.title).toBe('Unsatisfied Request Attribute value');
        expect(res.data.detail).toBe('The old password does not match.');
        expect((await current(clients)).spec.disabled).toBe(false); // the session still works
      });

      it('400 for a new password outside 8–128 characters', async () => {
        const { clients } = await newMember();
        for (const password of ['seven77', 'x'.repeat(129)]) {
          const res = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'member-password', password } }));
          expect(res.status).toBe(400);
          expect(res.data.detail).toBe('password must be between 8 and 128 characters');
        }
      });

      it("429 after 10 wrong old passwords on the session's own budget of failed password checks; other clients are not locked out", async () => {
        const { name, clients } = await newMember();
        for (let i = 0; i < 10; i++) {
          const res = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: `wrong-${i}`, password: 'new-password' } }));
          expect(res.status).toBe(400);
        }
        const limited = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'member-password', password: 'new-password' } }));
        expect(limited.status).toBe(429);
        expect(limited.data.type).toBe('https://halo.run/probs/request-not-permitted');
        expect(Number(limited.headers['retry-after']) > 0).toBeTruthy();
        // The session is a client that logged in: its failures are its own, as a device cookie's are.
        const login = await axios.post(`${server.baseUrl}/login`, { username: name, password: 'member-password' });
        expect(login.status).toBe(200);
        server.clock.advance(15 * 60_000 + 1);
        const fresh = await loginAs(server.baseUrl, name, 'member-password');
        const res = await fresh.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'member-password', password: 'new-password' } });
        expect(res.status).toBe(200);
      });
    });

    describe('POST /users/{name}/avatar (UploadUserAvatar)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(anonymous(server.baseUrl).console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') }));
        expect(res.status).toBe(401);
      });

      it("403 on another user's avatar without role-template-manage-users", async () => {
        const { clients } = await newMember();
        const other = await newMember();
        const res = await failure(clients.console.user.uploadUserAvatar({ name: other.name, file: imageFile(PNG_1X1, 'a.png') }));
        expect(res.status).toBe(403);
      });

      it('stores the image, points spec.avatar at it in the same request, and serves it', async () => {
        const { clients } = await newMember();
        for (const [data, type] of [
          [PNG_1X1, 'image/png'],
          [JPEG_STUB, 'image/jpeg'],
          [GIF_1X1, 'image/gif'],
        ] as const) {
          const res = await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(data, 'whatever.bin', 'text/plain') });
          const avatar = res.data.spec.avatar!;
          expect(avatar).toMatch(/^http:\/\/console\.example\.test\/avatars\/[0-9a-f]{32}\.(png|jpg|gif)$/);
          const served = await axios.get(`${server.baseUrl}${new URL(avatar).pathname}`, { responseType: 'arraybuffer' });
          expect(served.headers['content-type']).toBe(type);
          expect(served.headers['x-content-type-options']).toBe('nosniff');
          expect(Buffer.from(served.data)).toEqual(data);
        }
        expect(avatarFiles().filter((f) => f.startsWith('.')).length).toBe(0); // no temporary file left
      });

      it('replacing an avatar removes the previous file', async () => {
        const { clients } = await newMember();
        const first = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') })).data.spec.avatar!;
        const second = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(GIF_1X1, 'b.gif') })).data.spec.avatar!;
        expect(first).not.toBe(second);
        expect((await failure(axios.get(`${server.baseUrl}${new URL(first).pathname}`))).status).toBe(404);
        expect((await axios.get(`${server.baseUrl}${new URL(second).pathname}`)).status).toBe(200);
      });

      it('a manager sets the avatar of a plain user, but not of an admin (403)', async () => {
        const manager = await loginAs(server.baseUrl, 'manager', 'manager-password');
        const { name } = await newMember();
        const res = await manager.console.user.uploadUserAvatar({ name, file: imageFile(PNG_1X1, 'a.png') });
        expect(res.data.metadata.name).toBe(name);
        expect(res.data.spec.avatar).toBeTruthy();
        const denied = await failure(manager.console.user.uploadUserAvatar({ name: 'admin', file: imageFile(PNG_1X1, 'a.png') }));
        expect(denied.status).toBe(403);
      });

      it('400 for content that is not PNG, JPEG or GIF, whatever its name, and nothing is written', async () => {
        const { clients } = await newMember();
        const before = avatarFiles();
        for (const [data, fileName] of [
          [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.png'],
          [Buffer.from('%PDF-1.7'), 'a.jpg'],
          [Buffer.alloc(0), 'empty.gif'],
        ] as const) {
          const res = await failure(clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(data, fileName, 'image/png') }));
          expect(res.status).toBe(400);
          expect(res.data.detail).toBe('Only PNG, JPEG and GIF images are accepted as avatars.');
        }
        expect(avatarFiles()).toEqual(before);
        expect((await current(clients)).spec.avatar).toBe(undefined);
      });

      it('400 for a file over 2 MiB, 413 for a body far over it, and nothing is written', async () => {
        const { clients } = await newMember();
        const before = avatarFiles();
        const tooBig = Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024 + 1 - PNG_1X1.length)]);
        const res = await failure(clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(tooBig, 'big.png') }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('The avatar file needs to be smaller than 2 MB.');
        const huge = Buffer.concat([PNG_1X1, Buffer.alloc(3 * 1024 * 1024)]);
        const tooLarge = await failure(clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(huge, 'huge.png') }));
        expect(tooLarge.status).toBe(413);
        expect(avatarFiles()).toEqual(before);
        const exact = Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024 - PNG_1X1.length)]);
        expect((await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(exact, 'max.png') })).data.spec.avatar).toBeTruthy();
      });

      it("400 without a part named 'file', or when it is not a file; 415 for a JSON body", async () => {
        const { clients } = await newMember();
        const wrongName = new FormData();
        wrongName.append('avatar', imageFile(PNG_1X1, 'a.png'));
        const noPart = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, wrongName));
        expect(noPart.status).toBe(400);
        expect(noPart.data.detail).toBe('No file part found in the request');
        const textPart = new FormData();
        textPart.append('file', 'just text');
        const notFile = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, textPart));
        expect(notFile.status).toBe(400);
        expect(notFile.data.detail).toBe('Invalid part of file');
        const twoFiles = new FormData();
        twoFiles.append('file', imageFile(PNG_1X1, 'a.png'));
        twoFiles.append('file', imageFile(PNG_1X1, 'b.png'));
        const many = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, twoFiles));
        expect(many.status).toBe(400);
        const json = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, { file: 'x' }));
        expect(json.status).toBe(415);
      });

      it('404 for an unknown user, before reading the file', async () => {
        const res = await failure(admin.console.user.uploadUserAvatar({ name: 'no-such-user', file: imageFile(PNG_1X1, 'a.png') }));
        expect(res.status).toBe(404);
        expect(res.data.detail).toBe('Extension v1alpha1/User/no-such-user was not found.');
      });
    });

    describe('DELETE /users/{name}/avatar (DeleteUserAvatar)', () => {
      it('401 for anonymous callers', async () => {
        expect((await failure(anonymous(server.baseUrl).console.user.deleteUserAvatar({ name: '-' }))).status).toBe(401);
      });

      it("403 on another user's avatar without role-template-manage-users", async () => {
        const { clients } = await newMember();
        const other = await newMember();
        expect((await failure(clients.console.user.deleteUserAvatar({ name: other.name }))).status).toBe(403);
      });

      it('clears spec.avatar and removes the file', async () => {
        const { clients } = await newMember();
        const avatar = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') })).data.spec.avatar!;
        const res = await clients.console.user.deleteUserAvatar({ name: '-' });
        expect(res.status).toBe(200);
        expect(res.data.spec.avatar).toBe(undefined);
        expect(res.data.metadata.annotations?.['halo.run/avatar-attachment-name']).toBe(undefined);
        expect((await failure(axios.get(`${server.baseUrl}${new URL(avatar).pathname}`))).status).toBe(404);
        expect(avatarFiles().includes(new URL(avatar).pathname.split('/').pop()!)).toBe(false);
      });

      it('an admin clears the avatar of another user; deleting the user removes its file too', async () => {
        const { name, clients } = await newMember();
        await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') });
        expect((await admin.console.user.deleteUserAvatar({ name })).data.spec.avatar).toBe(undefined);
        const second = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(GIF_1X1, 'b.gif') })).data.spec.avatar!;
        await admin.core.user.deleteUser({ name });
        expect(avatarFiles().includes(new URL(second).pathname.split('/').pop()!)).toBe(false);
      });

      it('404 for an unknown user', async () => {
        const res = await failure(admin.console.user.deleteUserAvatar({ name: 'no-such-user' }));
        expect(res.status).toBe(404);
        expect(res.data.detail).toBe('Extension v1alpha1/User/no-such-user was not found.');
      });
    });

    describe('GET /avatars/{file}', () => {
      it('404 problem for unknown, malformed and traversing names', async () => {
        for (const path of ['/avatars/0123456789abcdef0123456789abcdef.png', '/avatars/x.png', '/avatars/..%2Fconsole.sqlite', '/avatars/%2e%2e%2fconsole.sqlite']) {
          const res = await failure(axios.get(`${server.baseUrl}${path}`));
          expect(res.status).toBe(404);
          expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
        }
      });
    });
  });
}
