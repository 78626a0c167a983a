import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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

    before(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db);
      await seedUser(server.dataSource, { name: 'manager', password: 'manager-password', roles: ['role-template-manage-users'] });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    });

    after(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('PUT /users/- (UpdateCurrentUser)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(anonymous(server.baseUrl).console.user.updateCurrentUser({ user: { metadata: { name: 'x' } } as never }));
        assert.equal(res.status, 401);
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
        assert.equal(res.data.spec.displayName, 'New Name');
        assert.equal(res.data.spec.bio, 'about me');
        assert.equal(res.data.spec.phone, '+44 20 7946 0000');
        assert.equal(res.data.spec.email, `${name}@example.test`);
        assert.equal(res.data.spec.emailVerified, false);
        assert.equal(res.data.spec.avatar, undefined);
        assert.equal(res.data.spec.disabled, false);
        assert.equal(res.data.metadata.labels, undefined);
        assert.equal(res.data.metadata.version, user.metadata.version! + 1);
        assert.ok((await axios.post(`${server.baseUrl}/login`, { username: name, password: 'member-password' })).status === 200);

        const cleared = await clients.console.user.updateCurrentUser({ user: { ...res.data, spec: { displayName: 'Only Name' } } as User });
        assert.equal(cleared.data.spec.bio, undefined, 'an omitted field is cleared, as in Halo');
        assert.equal(cleared.data.spec.phone, undefined);
      });

      it('replaces annotations when some are sent, keeping the server-managed ones', async () => {
        const { clients } = await newMember();
        await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') });
        const user = await current(clients);
        const fileName = user.metadata.annotations!['halo.run/avatar-attachment-name']!;
        const res = await clients.console.user.updateCurrentUser({
          user: { ...user, metadata: { ...user.metadata, annotations: { mine: 'yes', 'halo.run/avatar-attachment-name': 'other.png' } } },
        });
        assert.deepEqual(res.data.metadata.annotations, { mine: 'yes', 'halo.run/avatar-attachment-name': fileName });
        const kept = await clients.console.user.updateCurrentUser({ user: { ...res.data, metadata: { ...res.data.metadata, annotations: {} } } });
        assert.deepEqual(kept.data.metadata.annotations, res.data.metadata.annotations, 'empty annotations keep the stored ones');
      });

      it("400 Username didn't match. for another name or an empty body", async () => {
        const { clients } = await newMember();
        const user = await current(clients);
        const other = await failure(clients.console.user.updateCurrentUser({ user: { ...user, metadata: { ...user.metadata, name: 'admin' } } }));
        assert.equal(other.status, 400);
        assert.equal(other.data.detail, "Username didn't match.");
        const empty = await failure(clients.http.put(`${CONSOLE_USERS}/-`, {}));
        assert.equal(empty.status, 400);
        assert.equal(empty.data.detail, "Username didn't match.");
      });

      it('400 Restricted Name for a protected display name, unless it is unchanged', async () => {
        const { clients } = await newMember();
        const user = await current(clients);
        const res = await failure(clients.console.user.updateCurrentUser({ user: { ...user, spec: { ...user.spec, displayName: ' Administrator ' } } }));
        assert.equal(res.status, 400);
        assert.equal(res.data.title, 'Restricted Name');
        assert.equal(res.data.detail, 'The display name  Administrator  is a reserved name, please change it and retry.');
        // The bootstrap admin is named "admin": saving its profile unchanged must keep working.
        const me = await current(admin);
        assert.equal((await admin.console.user.updateCurrentUser({ user: me })).status, 200);
      });

      it('400 for a missing display name or control characters', async () => {
        const { clients } = await newMember();
        const user = await current(clients);
        const missing = await failure(clients.console.user.updateCurrentUser({ user: { ...user, spec: { ...user.spec, displayName: '' } } }));
        assert.equal(missing.status, 400);
        assert.equal(missing.data.detail, 'spec.displayName is required');
        const bidi = await failure(clients.console.user.updateCurrentUser({ user: { ...user, spec: { ...user.spec, displayName: 'x\u2066y' } } }));
        assert.equal(bidi.status, 400);
        assert.equal(bidi.data.detail, 'spec.displayName must not contain control characters');
      });
    });

    describe('PUT /users/-/password (ChangeOwnPassword)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(
          anonymous(server.baseUrl).console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'a', password: 'new-password' } }),
        );
        assert.equal(res.status, 401);
      });

      it('changes the password, answers with the User and ends every session and token of the user', async () => {
        const { name, clients } = await newMember();
        const token = withToken(server.baseUrl, await createPat(clients));
        const res = await clients.console.user.changeOwnPassword({
          changeOwnPasswordRequest: { oldPassword: 'member-password', password: 'パスワード-new-1' },
        });
        assert.equal(res.status, 200);
        assert.equal(res.data.metadata.name, name);
        assert.equal(JSON.stringify(res.data).includes('argon2'), false);
        assert.equal((await failure(clients.console.user.updateCurrentUser({ user: res.data }))).status, 401, 'own session too, as in Halo');
        assert.equal((await failure(token.console.user.getCurrentUserDetail())).status, 401);
        const again = await loginAs(server.baseUrl, name, 'パスワード-new-1');
        assert.equal((await current(again)).metadata.name, name);
        const old = await failure(axios.post(`${server.baseUrl}/login`, { username: name, password: 'member-password' }));
        assert.equal(old.status, 401);
      });

      it('400 Unsatisfied Request Attribute value when the old password does not match', async () => {
        const { clients } = await newMember();
        const res = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'wrong', password: 'new-password' } }));
        assert.equal(res.status, 400);
        assert.equal(res.data.title, 'Unsatisfied Request Attribute value');
        assert.equal(res.data.detail, 'The old password does not match.');
        assert.equal((await current(clients)).spec.disabled, false, 'the session still works');
      });

      it('400 for a new password outside 8–128 characters', async () => {
        const { clients } = await newMember();
        for (const password of ['seven77', 'x'.repeat(129)]) {
          const res = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'member-password', password } }));
          assert.equal(res.status, 400);
          assert.equal(res.data.detail, 'password must be between 8 and 128 characters');
        }
      });

      it('429 after 10 wrong old passwords, sharing the budget of failed logins', async () => {
        const { name, clients } = await newMember();
        for (let i = 0; i < 10; i++) {
          const res = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: `wrong-${i}`, password: 'new-password' } }));
          assert.equal(res.status, 400);
        }
        const limited = await failure(clients.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'member-password', password: 'new-password' } }));
        assert.equal(limited.status, 429);
        assert.equal(limited.data.type, 'https://halo.run/probs/request-not-permitted');
        assert.ok(Number(limited.headers['retry-after']) > 0);
        const login = await failure(axios.post(`${server.baseUrl}/login`, { username: name, password: 'member-password' }));
        assert.equal(login.status, 429);
        server.clock.advance(15 * 60_000 + 1);
        const fresh = await loginAs(server.baseUrl, name, 'member-password');
        const res = await fresh.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'member-password', password: 'new-password' } });
        assert.equal(res.status, 200);
      });
    });

    describe('POST /users/{name}/avatar (UploadUserAvatar)', () => {
      it('401 for anonymous callers', async () => {
        const res = await failure(anonymous(server.baseUrl).console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') }));
        assert.equal(res.status, 401);
      });

      it("403 on another user's avatar without role-template-manage-users", async () => {
        const { clients } = await newMember();
        const other = await newMember();
        const res = await failure(clients.console.user.uploadUserAvatar({ name: other.name, file: imageFile(PNG_1X1, 'a.png') }));
        assert.equal(res.status, 403);
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
          assert.match(avatar, /^http:\/\/console\.example\.test\/avatars\/[0-9a-f]{32}\.(png|jpg|gif)$/);
          const served = await axios.get(`${server.baseUrl}${new URL(avatar).pathname}`, { responseType: 'arraybuffer' });
          assert.equal(served.headers['content-type'], type);
          assert.equal(served.headers['x-content-type-options'], 'nosniff');
          assert.deepEqual(Buffer.from(served.data), data);
        }
        assert.equal(avatarFiles().filter((f) => f.startsWith('.')).length, 0, 'no temporary file left');
      });

      it('replacing an avatar removes the previous file', async () => {
        const { clients } = await newMember();
        const first = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') })).data.spec.avatar!;
        const second = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(GIF_1X1, 'b.gif') })).data.spec.avatar!;
        assert.notEqual(first, second);
        assert.equal((await failure(axios.get(`${server.baseUrl}${new URL(first).pathname}`))).status, 404);
        assert.equal((await axios.get(`${server.baseUrl}${new URL(second).pathname}`)).status, 200);
      });

      it('a manager sets the avatar of a plain user, but not of an admin (403)', async () => {
        const manager = await loginAs(server.baseUrl, 'manager', 'manager-password');
        const { name } = await newMember();
        const res = await manager.console.user.uploadUserAvatar({ name, file: imageFile(PNG_1X1, 'a.png') });
        assert.equal(res.data.metadata.name, name);
        assert.ok(res.data.spec.avatar);
        const denied = await failure(manager.console.user.uploadUserAvatar({ name: 'admin', file: imageFile(PNG_1X1, 'a.png') }));
        assert.equal(denied.status, 403);
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
          assert.equal(res.status, 400);
          assert.equal(res.data.detail, 'Only PNG, JPEG and GIF images are accepted as avatars.');
        }
        assert.deepEqual(avatarFiles(), before);
        assert.equal((await current(clients)).spec.avatar, undefined);
      });

      it('400 for a file over 2 MiB, 413 for a body far over it, and nothing is written', async () => {
        const { clients } = await newMember();
        const before = avatarFiles();
        const tooBig = Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024 + 1 - PNG_1X1.length)]);
        const res = await failure(clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(tooBig, 'big.png') }));
        assert.equal(res.status, 400);
        assert.equal(res.data.detail, 'The avatar file needs to be smaller than 2 MB.');
        const huge = Buffer.concat([PNG_1X1, Buffer.alloc(3 * 1024 * 1024)]);
        const tooLarge = await failure(clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(huge, 'huge.png') }));
        assert.equal(tooLarge.status, 413);
        assert.deepEqual(avatarFiles(), before);
        const exact = Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024 - PNG_1X1.length)]);
        assert.ok((await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(exact, 'max.png') })).data.spec.avatar);
      });

      it("400 without a part named 'file', or when it is not a file; 415 for a JSON body", async () => {
        const { clients } = await newMember();
        const wrongName = new FormData();
        wrongName.append('avatar', imageFile(PNG_1X1, 'a.png'));
        const noPart = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, wrongName));
        assert.equal(noPart.status, 400);
        assert.equal(noPart.data.detail, 'No file part found in the request');
        const textPart = new FormData();
        textPart.append('file', 'just text');
        const notFile = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, textPart));
        assert.equal(notFile.status, 400);
        assert.equal(notFile.data.detail, 'Invalid part of file');
        const twoFiles = new FormData();
        twoFiles.append('file', imageFile(PNG_1X1, 'a.png'));
        twoFiles.append('file', imageFile(PNG_1X1, 'b.png'));
        const many = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, twoFiles));
        assert.equal(many.status, 400);
        const json = await failure(clients.http.post(`${CONSOLE_USERS}/-/avatar`, { file: 'x' }));
        assert.equal(json.status, 415);
      });

      it('404 for an unknown user, before reading the file', async () => {
        const res = await failure(admin.console.user.uploadUserAvatar({ name: 'no-such-user', file: imageFile(PNG_1X1, 'a.png') }));
        assert.equal(res.status, 404);
        assert.equal(res.data.detail, 'Extension v1alpha1/User/no-such-user was not found.');
      });
    });

    describe('DELETE /users/{name}/avatar (DeleteUserAvatar)', () => {
      it('401 for anonymous callers', async () => {
        assert.equal((await failure(anonymous(server.baseUrl).console.user.deleteUserAvatar({ name: '-' }))).status, 401);
      });

      it("403 on another user's avatar without role-template-manage-users", async () => {
        const { clients } = await newMember();
        const other = await newMember();
        assert.equal((await failure(clients.console.user.deleteUserAvatar({ name: other.name }))).status, 403);
      });

      it('clears spec.avatar and removes the file', async () => {
        const { clients } = await newMember();
        const avatar = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') })).data.spec.avatar!;
        const res = await clients.console.user.deleteUserAvatar({ name: '-' });
        assert.equal(res.status, 200);
        assert.equal(res.data.spec.avatar, undefined);
        assert.equal(res.data.metadata.annotations?.['halo.run/avatar-attachment-name'], undefined);
        assert.equal((await failure(axios.get(`${server.baseUrl}${new URL(avatar).pathname}`))).status, 404);
        assert.equal(avatarFiles().includes(new URL(avatar).pathname.split('/').pop()!), false);
      });

      it('an admin clears the avatar of another user; deleting the user removes its file too', async () => {
        const { name, clients } = await newMember();
        await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'a.png') });
        assert.equal((await admin.console.user.deleteUserAvatar({ name })).data.spec.avatar, undefined);
        const second = (await clients.console.user.uploadUserAvatar({ name: '-', file: imageFile(GIF_1X1, 'b.gif') })).data.spec.avatar!;
        await admin.core.user.deleteUser({ name });
        assert.equal(avatarFiles().includes(new URL(second).pathname.split('/').pop()!), false);
      });

      it('404 for an unknown user', async () => {
        const res = await failure(admin.console.user.deleteUserAvatar({ name: 'no-such-user' }));
        assert.equal(res.status, 404);
        assert.equal(res.data.detail, 'Extension v1alpha1/User/no-such-user was not found.');
      });
    });

    describe('GET /avatars/{file}', () => {
      it('404 problem for unknown, malformed and traversing names', async () => {
        for (const path of ['/avatars/0123456789abcdef0123456789abcdef.png', '/avatars/x.png', '/avatars/..%2Fconsole.sqlite', '/avatars/%2e%2e%2fconsole.sqlite']) {
          const res = await failure(axios.get(`${server.baseUrl}${path}`));
          assert.equal(res.status, 404, path);
          assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        }
      });
    });
  });
}
