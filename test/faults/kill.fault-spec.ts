import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { buildServer, ServerProcess, spawnServer, stopServer } from '../support/server-process';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { until } from '../support/wait';
import { FaultPostgres } from './support/fault-postgres';
import { accepted, Answer, call, loadLoop, sendCode, sleep } from './support/load';

const HANG_GUARD = 300_000;
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
/** Sends accepted before the kill: enough that some are still queued or in flight when it lands. */
const ACCEPTED_BEFORE_KILL = 60;

/** A client address per send (TRUST_PROXY), so the shipped per-IP limits never refuse the load. */
const clientOf = (i: number): string => `10.9.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const addressOf = (i: number): string => `killed-${i}@example.test`;

/** One send of the load; a connection the kill cut is an answer with status 0, not a thrown error. */
async function send(baseUrl: string, i: number): Promise<Answer> {
  try {
    return await sendCode(baseUrl, addressOf(i), clientOf(i));
  } catch (error) {
    return { status: 0, retryAfter: null, contentType: '', body: String(error), startedAt: Date.now(), ms: 0 };
  }
}

/** Rows of `sql` on the scenario's database, read with a connection of its own. */
async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('kill -9 of the server under send load, then a restart (real processes, PostgreSQL, SMTP)', () => {
  let pg: FaultPostgres;
  let smtp: TestSmtpServer;
  let workDir: string;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;

  async function start(): Promise<string> {
    server = spawnServer(env, workDir);
    const [, port] = await server.waitForStdout(LISTENING);
    return `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    buildServer();
    pg = await FaultPostgres.start();
    smtp = new TestSmtpServer();
    // Each message takes a moment, as a remote server's would: the kill finds mails in flight.
    smtp.stallMs = 20;
    await smtp.start();
    workDir = mkdtempSync(join(tmpdir(), 'console-users-kill-'));
    env = {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(workDir, 'data'),
      PUBLIC_URL: 'http://kill.example.test',
      DATABASE_URL: pg.urlOf(),
      SMTP_URL: smtp.url,
      TRUST_PROXY: '127.0.0.1',
      // The outbox payloads are encrypted with it: the restarted process must read what the killed one queued.
      APP_SECRET: 'kill-fault-secret-kill-fault-secret-0123',
      ADMIN_PASSWORD: 'the kill scenario admin',
    };
  }, HANG_GUARD);

  afterAll(async () => {
    await stopServer(server, 'SIGKILL');
    await smtp?.stop();
    await pg?.close();
    rmSync(workDir, { recursive: true, force: true });
  }, HANG_GUARD);

  it(
    'delivers every accepted send after the restart, one message each, and keeps codes and cooldowns',
    async () => {
      const first = await start();
      const load = loadLoop(10, (i) => send(first, i));
      await until(async () => smtp.received.length >= 5 || undefined, 'the first mails', 60_000);
      // Kill it while sends are still being accepted (rows queued, some claimed, some on the wire).
      await until(async () => {
        const rows = await query<{ n: string }>(pg.urlOf(), `SELECT COUNT(*) AS n FROM outbox_messages WHERE recipient LIKE 'killed-%'`);
        return Number(rows[0]!.n) >= ACCEPTED_BEFORE_KILL || undefined;
      }, 'sends accepted before the kill', 60_000);
      server!.child.kill('SIGKILL');
      const killed = await server!.exited;
      expect(killed.signal).toBe('SIGKILL');
      const answers = await load.stop();
      const acceptedSends = answers.filter(accepted).map((answer) => answer.i);
      const mailedBeforeRestart = new Set(smtp.received.map((mail) => mail.to));
      expect(acceptedSends.length).toBeGreaterThanOrEqual(ACCEPTED_BEFORE_KILL - 10);
      const unsentAtKill = acceptedSends.filter((i) => !mailedBeforeRestart.has(addressOf(i))).length;

      const second = await start();
      // Limits survived: the 60 s cooldown of the last address accepted before the kill still holds.
      const latest = acceptedSends.at(-1)!;
      const again = await send(second, latest);
      expect(again.status).toBe(200);
      expect(JSON.parse(again.body).code).not.toBe(0);
      // Rows the killed process had claimed come back when their lease (60 s) runs out.
      await until(
        async () => acceptedSends.every((i) => smtp.mailsTo(addressOf(i)).length > 0) || undefined,
        'every accepted send delivered after the restart',
        150_000,
      );
      await sleep(2_000); // a duplicate would arrive right behind

      // Once per accepted send, as a message: a mail that was on the wire when the process died can
      // be transmitted again (the server cannot know the SMTP server got it), but with the same
      // Message-ID, which mail systems use to drop the second copy.
      const lost = acceptedSends.filter((i) => smtp.mailsTo(addressOf(i)).length === 0).length;
      const messagesPerAddress = acceptedSends.map((i) => new Set(smtp.mailsTo(addressOf(i)).map((mail) => mail.messageId)).size);
      const transmissions = acceptedSends.reduce((sum, i) => sum + smtp.mailsTo(addressOf(i)).length, 0);
      process.stdout.write(
        `[faults] kill -9 under load: ${acceptedSends.length} accepted, ${unsentAtKill} not yet mailed at the kill, ` +
          `${lost} lost, ${messagesPerAddress.filter((n) => n > 1).length} with a second message, ` +
          `${transmissions - acceptedSends.length} repeated transmissions (same Message-ID), ` +
          `${smtp.connectionErrors.length} SMTP connections cut by the kill\n`,
      );
      expect(lost).toBe(0);
      expect(messagesPerAddress.filter((n) => n !== 1)).toEqual([]);
      const rows = await query<{ status: string; n: string }>(
        pg.urlOf(),
        `SELECT status, COUNT(*) AS n FROM outbox_messages WHERE recipient LIKE 'killed-%' GROUP BY status`,
      );
      expect(rows.map((row) => [row.status, Number(row.n)])).toEqual([['sent', expect.any(Number)]]);

      // Codes survived: a code mailed by the killed process registers an account on the new one.
      const early = smtp.mailsTo(addressOf(latest))[0]!;
      const registered = await call(`${second}/api/v2/account/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.200.1' },
        body: JSON.stringify({
          type: 'email',
          account: addressOf(latest),
          verifyCode: codeIn(early),
          password: Buffer.from('a long enough password').toString('base64'),
          nickname: 'Survivor',
        }),
      });
      expect(JSON.parse(registered.body)).toMatchObject({ code: 0 });
    },
    HANG_GUARD,
  );
});
