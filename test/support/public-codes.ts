import type { DataSource } from 'typeorm';
import { OutboxMessageEntity } from '../../libs/console-users/src/notifications/outbox-message.entity';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { derivedColumns } from '../../libs/console-users/src/users/users.repository';
import type { RawAnswer } from './public-api';

/** Tables whose rows a public send writes; equal deltas mean equal work. */
const WORK_TABLES = ['verification_codes', 'outbox_messages', 'audit_events', 'rate_limit_buckets'] as const;

/** Row counts of the tables a send writes to. */
export async function workCounts(db: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WORK_TABLES) {
    // The outbox worker audits deliveries after the answer, on its own schedule: not request work.
    const where = table === 'audit_events' ? ` WHERE action NOT LIKE 'delivery.%'` : '';
    const rows: { n: number | string }[] = await db.query(`SELECT COUNT(*) AS n FROM ${table}${where}`);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

/** What a call added to each table. */
export async function workOf(db: DataSource, call: () => Promise<RawAnswer>): Promise<{ answer: RawAnswer; work: Record<string, number> }> {
  const before = await workCounts(db);
  const answer = await call();
  const after = await workCounts(db);
  const work: Record<string, number> = {};
  for (const table of WORK_TABLES) {
    work[table] = after[table]! - before[table]!;
  }
  return { answer, work };
}

/** Asserts two answers are the same on the wire: status, every header but Date, and the body bytes. */
export function assertSameAnswer(a: RawAnswer, b: RawAnswer): void {
  expect(a.status).toBe(b.status); // status
  expect(a.body).toBe(b.body); // body
  const headers = (answer: RawAnswer) => Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name !== 'date'));
  expect(headers(a)).toEqual(headers(b)); // headers
}

/** Sets a seeded user's email and phone directly (tests need accounts the API cannot make yet). */
export async function setContact(
  db: DataSource,
  name: string,
  contact: { email?: string | null; emailVerified?: boolean; phone?: string | null },
): Promise<void> {
  const repo = db.getRepository(UserEntity);
  const user = await repo.findOneByOrFail({ name });
  const merged = { ...user, ...contact };
  await repo.update({ name }, { email: merged.email, emailVerified: merged.emailVerified, phone: merged.phone, ...derivedColumns(merged) });
}

/** The outbox rows for a recipient, oldest first. */
export function outboxTo(db: DataSource, recipient: string): Promise<OutboxMessageEntity[]> {
  return db.getRepository(OutboxMessageEntity).find({ where: { recipient }, order: { id: 'ASC' } });
}

/** Polls until `check` holds (for states a background worker reaches); fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** base64 of a UTF-8 password, as Fresns clients send it. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
