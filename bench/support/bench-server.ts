// The console server in its own process on a fresh SQLite database, as `npm start` would run it
// (system clock, info logging to stdout), with per-IP limits raised so the benchmark measures
// the path and not 429s. Seeds users with sessions; can fill the outbox and time a drain.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/console-server/src/bootstrap/create-app';
import { parseConfig } from '../../apps/console-server/src/config/app-config';
import { Argon2idPasswordHasher } from '../../libs/console-users/src/users/password-hasher';
import { SessionsService } from '../../libs/console-users/src/auth/sessions.service';
import { NotificationsService } from '../../libs/console-users/src/notifications/notifications.service';
import { OutboxWorker } from '../../libs/console-users/src/notifications/outbox-worker.service';
import { seedUser } from '../../test/support/seed';
import { ready } from './child';

const UNLIMITED = { perMinute: 1_000_000_000, perHour: 1_000_000_000 };

async function main(): Promise<void> {
  const [smtpUrl, usersArg, worker] = process.argv.slice(2);
  const dataDir = mkdtempSync(join(tmpdir(), 'console-users-bench-'));
  const config = parseConfig({
    NODE_ENV: 'production',
    APP_SECRET: 'benchmark-secret-benchmark-secret-benchmark',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://console.bench.test',
    SMTP_URL: smtpUrl,
    ADMIN_PASSWORD: 'benchmark-admin-password',
    LOG_LEVEL: 'info',
  });
  const app = await createApp(config, {
    onAdminCreated: () => undefined,
    throttling: { send: UNLIMITED, verify: UNLIMITED, login: UNLIMITED },
    outbox: { enabled: worker !== 'no-worker' },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const db = app.get(DataSource);
  const sessions = app.get(SessionsService);

  const passwordHash = await new Argon2idPasswordHasher().hash('bench-password');
  const tokens: string[] = [];
  for (let i = 0; i < Number(usersArg ?? 0); i++) {
    const user = await seedUser(db, { name: `bench-${i}`, password: 'bench-password', passwordHash });
    tokens.push(await sessions.start(user.id, '127.0.0.1', 'autocannon'));
  }

  process.on('message', (message: { type: string; count?: number }) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ micros: usage.user + usage.system });
    }
    if (message.type === 'drain') {
      void drain(app.get(NotificationsService), app.get(OutboxWorker), db, message.count ?? 0).then((answer) => process.send?.(answer));
    }
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void app.close().finally(() => process.exit(0)));
  const address = app.getHttpServer().address();
  ready({ baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, tokens });
}

/** Queues `count` verification mails, then times the worker until every one is sent. */
async function drain(notifications: NotificationsService, worker: OutboxWorker, db: DataSource, count: number) {
  for (let i = 0; i < count; i += 100) {
    await db.transaction(async (manager) => {
      for (let j = i; j < Math.min(count, i + 100); j++) {
        await notifications.enqueue(manager, {
          channel: 'email',
          recipient: `throughput-${j}@bench.test`,
          template: 'email-verify',
          locale: 'en',
          variables: { code: String(100000 + j), username: `bench-${j}`, displayName: `bench-${j}`, expiresInMinutes: 10 },
        });
      }
    });
  }
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  await worker.drain();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const [row] = await db.query(`SELECT COUNT(*) AS sent FROM outbox_messages WHERE status = 'sent'`);
  return { seconds, sent: Number(row.sent), cpuMicros: cpu.user + cpu.system };
}

void main();
