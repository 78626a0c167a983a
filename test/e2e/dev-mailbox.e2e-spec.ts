import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { loginAs } from '../support/http';
import { PublicApi } from '../support/public-api';
import { seedUser } from '../support/seed';
import { startTestServer, TestServer } from '../support/test-server';
import { until } from '../support/wait';

const SEND = '/apis/api.halo.run/v1alpha1/users/-/send-password-reset-email';

/** Without SMTP_URL every mail lands in DATA_DIR/mail: the .eml as sent, and a decoded .txt a person can read. */
for (const kind of testDatabases()) {
  describe(`dev mailbox on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    const mailDir = () => join(db.dataDir, 'mail');
    const filesFor = (ext: string) => {
      try {
        return readdirSync(mailDir()).filter((name) => name.endsWith(ext));
      } catch {
        return [];
      }
    };

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { overrides: { outbox: { pollIntervalMs: 50, backoffBaseMs: 1_000 } } });
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    it('saves a reset mail as .eml and as readable .txt whose link, copied as is, resets the password', async () => {
      await seedUser(server.dataSource, { name: 'mailbox-user', password: 'the old password', email: 'mailbox-user@example.test', emailVerified: true });
      const sent = await new PublicApi(server.baseUrl, { ip: '10.77.0.1' }).post(SEND, { username: 'mailbox-user', email: 'mailbox-user@example.test' });
      expect(sent.status).toBe(204);

      const txtName = await until(async () => filesFor('.txt')[0], 'a .txt in the dev mailbox');
      const eml = readFileSync(join(mailDir(), txtName.replace(/\.txt$/, '.eml')), 'utf8');
      const txt = readFileSync(join(mailDir(), txtName), 'utf8');
      expect(statSync(join(mailDir(), txtName)).mode & 0o777).toBe(0o600);

      const [head, body] = [txt.slice(0, txt.indexOf('\n\n')), txt.slice(txt.indexOf('\n\n') + 2)];
      expect(head.split('\n')).toEqual([
        'From: Console <no-reply@localhost>',
        'To: mailbox-user@example.test',
        'Subject: Reset your password',
        'Template: link-reset-password',
      ]);
      // Nothing of the transfer encoding is left: no soft line breaks, no =3D, no base64.
      expect(body).not.toMatch(/=\r?\n|=3D|Content-Transfer-Encoding/);
      const link = /http:\/\/console\.example\.test\/console\/password-reset\?\S+/.exec(body)?.[0];
      expect(link).toBeDefined();
      // An ASCII mail goes as 7bit, so the .eml carries the link as is too (a mail with any other
      // character goes as base64: the reason the .txt exists).
      expect(eml).toContain(link);
      expect(eml).toMatch(/^Content-Transfer-Encoding: 7bit$/m);

      const params = new URL(link!).searchParams;
      const done = await new PublicApi(server.baseUrl, { ip: '10.77.0.2' }).put(
        `/apis/api.halo.run/v1alpha1/users/${params.get('username')}/reset-password`,
        { newPassword: 'a password from the txt', token: params.get('reset_password_token') },
      );
      expect(done.status).toBe(204);
      const session = await loginAs(server.baseUrl, 'mailbox-user', 'a password from the txt');
      expect((await session.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('mailbox-user');
    });
  });
}
