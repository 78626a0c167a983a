// `npm run bench:outbox-instances`: mails per second delivered by one and by two server
// instances sharing one PostgreSQL (claims `FOR UPDATE SKIP LOCKED`), through a local SMTP
// server that holds each message STALL_MS (a remote server's round trip). Every mail is counted
// at the SMTP server: the run fails if one is missing or arrives twice.
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../test/support/embedded-postgres';
import { Child, startChild } from '../support/child';

const MAILS = Number(process.env.BENCH_MAILS ?? 2000);
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);

async function main(): Promise<void> {
  const postgres = await startEmbeddedPostgres('console-users-bench-outbox-pg-');
  const smtp = await startChild<{ url: string }>('../support/smtp-sink', [String(STALL_MS)]);
  try {
    const rows: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      for (const instances of [1, 2]) {
        const database = `outbox_${instances}_${run}`;
        const admin = new Client({ connectionString: postgres.url });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${database}`);
        await admin.end();
        const url = new URL(postgres.url);
        url.pathname = `/${database}`;
        const workers: Child<object>[] = [];
        for (let i = 0; i < instances; i++) {
          workers.push(await startChild<object>('../outbox-instances/worker', [url.toString(), smtp.info.url]));
        }
        await workers[0]!.ask({ type: 'fill', from: 0, count: MAILS });
        const before = (await smtp.ask<{ count: number }>({})).count;
        const started = process.hrtime.bigint();
        const results = await Promise.all(workers.map((w) => w.ask<{ seconds: number }>({ type: 'drain' })));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const delivered = (await smtp.ask<{ count: number }>({})).count - before;
        const check = new Client({ connectionString: url.toString() });
        await check.connect();
        const status = await check.query(`SELECT status, COUNT(*)::int AS n FROM outbox_messages GROUP BY status`);
        await check.end();
        await Promise.all(workers.map((w) => w.stop()));
        const sent = status.rows.find((r) => r.status === 'sent')?.n ?? 0;
        if (delivered !== MAILS || sent !== MAILS) {
          throw new Error(`run ${run}, ${instances} instance(s): ${delivered} mails arrived, ${sent} rows sent, ${MAILS} queued`);
        }
        const line = `| ${instances} | ${run} | ${MAILS} | ${seconds.toFixed(2)} | ${Math.round(MAILS / seconds)} | ${results.map((r) => r.seconds.toFixed(2)).join(' / ')} |`;
        rows.push(line);
        console.log(line);
      }
    }
    console.log(`\nSMTP stall ${STALL_MS} ms per message, ${MAILS} mails per run, up to 20 mails in flight and 5 SMTP connections per instance\n`);
    console.log('| instances | run | mails | seconds | mails/s | per-instance drain s |\n|---|---|---|---|---|---|');
    rows.forEach((row) => console.log(row));
  } finally {
    await smtp.stop();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
