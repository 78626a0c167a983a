// One server instance in its own process on a shared PostgreSQL, as a second replica would run:
// `node worker.js <databaseUrl> <smtpUrl> <worker|no-worker>`. On {type:'fill', count} it queues
// that many mails (the worker-less instance does this); on {type:'drain'} it runs its outbox
// worker until nothing is due and answers {sent, seconds}.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/console-server/src/bootstrap/create-app';
import { parseConfig } from '../../apps/console-server/src/config/app-config';
import { NotificationsService } from '../../libs/console-users/src/notifications/notifications.service';
import { OutboxWorker } from '../../libs/console-users/src/notifications/outbox-worker.service';
import { ready } from '../support/child';

async function main(): Promise<void> {
  const [databaseUrl, smtpUrl] = process.argv.slice(2);
  const config = parseConfig({
    NODE_ENV: 'production',
    APP_SECRET: 'benchmark-secret-benchmark-secret-benchmark', // shared: one instance decrypts what another queued
    DATA_DIR: mkdtempSync(join(tmpdir(), 'console-users-bench-outbox-')),
    DATABASE_URL: databaseUrl!,
    PUBLIC_URL: 'http://console.bench.test',
    SMTP_URL: smtpUrl!,
    ADMIN_PASSWORD: 'benchmark-admin-password',
    LOG_LEVEL: 'warn',
    DATABASE_STATEMENT_TIMEOUT_MS: '10000', // a busy shared machine; the pool's other defaults as shipped
  });
  // The worker does not poll on its own: the benchmark starts every instance's drain at once.
  const app = await createApp(config, { onAdminCreated: () => undefined, outbox: { enabled: false, batchSize: 20 } });
  await app.init();
  const db = app.get(DataSource);
  const notifications = app.get(NotificationsService);
  const worker = app.get(OutboxWorker);

  process.on('message', (message: { type: string; count?: number; from?: number }) => {
    if (message.type === 'fill') {
      void fill(db, notifications, message.from ?? 0, message.count ?? 0).then(() => process.send?.({ filled: message.count }));
    }
    if (message.type === 'drain') {
      const started = process.hrtime.bigint();
      void worker.drain().then(async () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        process.send?.({ seconds });
      });
    }
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void app.close().finally(() => process.exit(0)));
  ready({});
}

async function fill(db: DataSource, notifications: NotificationsService, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 100) {
    await db.transaction(async (manager) => {
      for (let j = i; j < Math.min(from + count, i + 100); j++) {
        await notifications.enqueue(manager, {
          channel: 'email',
          recipient: `instances-${j}@bench.test`,
          template: 'email-verify',
          locale: 'en',
          variables: { code: String(100000 + (j % 900000)), username: `bench-${j}`, displayName: `bench-${j}`, expiresInMinutes: 10 },
        });
      }
    });
  }
}

void main();
