import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { OutboxRepository } from '../../libs/console-users/src/notifications/outbox.repository';
import { createTestDatabase, TestDatabase, testDatabases } from '../support/databases';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const LEASE = 60_000;

const message = (n: number) => ({
  channel: 'email',
  recipient: `r${n}@example.test`,
  template: 'email-verify',
  locale: 'en',
  payloadEncrypted: 'sealed',
  maxAttempts: 6,
  messageId: `<${n}@console.test>`,
  verificationCodeId: null,
});

const at = (ms: number) => new Date(NOW.getTime() + ms);

for (const kind of testDatabases()) {
  // Two DataSources on one database stand for two server instances running the worker.
  describe(`OutboxRepository.claim on ${kind}`, () => {
    let db: TestDatabase;
    let one: DataSource;
    let two: DataSource;
    let sut: OutboxRepository;
    let other: OutboxRepository;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      one = await new DataSource(dataSourceOptions(db.config)).initialize();
      two = await new DataSource({ ...dataSourceOptions(db.config), migrationsRun: false }).initialize();
      sut = new OutboxRepository(one);
      other = new OutboxRepository(two);
    });

    beforeEach(async () => {
      await one.query('DELETE FROM outbox_messages');
    });

    afterAll(async () => {
      await one?.destroy();
      await two?.destroy();
      await db?.drop();
    });

    it('two workers claiming in parallel never get the same row, and together get them all', async () => {
      for (let n = 0; n < 60; n++) {
        await sut.enqueue(one.manager, message(n), NOW);
      }
      const claimedBy = new Map<number, string[]>();
      const work = async (repo: OutboxRepository, owner: string) => {
        for (let round = 0; round < 30; round++) {
          const batch = await repo.claim(owner, NOW, LEASE, 4);
          for (const row of batch) {
            claimedBy.set(row.id, [...(claimedBy.get(row.id) ?? []), owner]);
          }
          if (batch.length === 0) {
            return;
          }
        }
      };
      await Promise.all([work(sut, 'worker-a'), work(other, 'worker-b'), work(sut, 'worker-c'), work(other, 'worker-d')]);
      expect(claimedBy.size).toBe(60); // every row claimed
      const twice = [...claimedBy].filter(([, owners]) => owners.length > 1);
      expect(twice).toEqual([]); // no row claimed twice
    });

    it('a row stays with its worker until the lease ends, then another worker takes it over', async () => {
      await sut.enqueue(one.manager, message(1), NOW);
      const [mine] = await sut.claim('worker-a', NOW, LEASE, 10);
      expect(mine?.attempts).toBe(1);
      expect(mine?.payloadEncrypted).toBe('sealed');
      expect(await other.claim('worker-b', at(LEASE - 1), LEASE, 10)).toEqual([]); // leased

      // Its own worker may still be delivering it (a slow SMTP server): held, it never takes it twice.
      expect(await sut.claim('worker-a', at(LEASE), LEASE, 10, [mine!.id])).toEqual([]);
      const [taken] = await other.claim('worker-b', at(LEASE), LEASE, 10);
      expect(taken?.id).toBe(mine!.id); // reclaimed once the lease expired
      expect(taken?.attempts).toBe(2);
      expect(await sut.markSent([mine!.id], 'worker-a', at(LEASE + 1))).toEqual([]); // the first worker lost it
      expect(await other.markSent([taken!.id], 'worker-b', at(LEASE + 1))).toEqual([taken!.id]);
      const [row] = await one.query(`SELECT status, payload_encrypted FROM outbox_messages WHERE id = ${taken!.id}`);
      expect([row.status, row.payload_encrypted]).toEqual(['sent', null]);
      expect(await sut.claim('worker-c', at(10 * LEASE), LEASE, 10)).toEqual([]); // a sent row is never claimed again
    });

    it('a row its own worker lost track of (the claim was written, its read failed) goes back to that worker once the lease ends', async () => {
      await sut.enqueue(one.manager, message(2), NOW);
      await sut.enqueue(one.manager, message(3), NOW);
      const [lost, kept] = await sut.claim('worker-a', NOW, LEASE, 10);
      expect(await sut.claim('worker-a', at(LEASE - 1), LEASE, 10)).toEqual([]); // leased
      const again = await sut.claim('worker-a', at(LEASE), LEASE, 10, [kept!.id]);
      expect(again.map((row) => [row.id, row.attempts])).toEqual([[lost!.id, 2]]);
    });

    it('marks several rows sent in one statement and answers only those still leased to the caller', async () => {
      for (let i = 10; i < 13; i++) {
        await sut.enqueue(one.manager, message(i), NOW);
      }
      const mine = await sut.claim('worker-a', NOW, LEASE, 3);
      expect(mine).toHaveLength(3);
      const [, lost] = mine;
      await one.query(`UPDATE outbox_messages SET lease_owner = 'worker-b' WHERE id = ${lost!.id}`); // taken over after its lease
      const ids = mine.map((m) => m.id);

      const byNumber = (a: number, b: number) => a - b;
      expect((await sut.markSent(ids, 'worker-a', at(1))).sort(byNumber)).toEqual(ids.filter((id) => id !== lost!.id).sort(byNumber));

      const rows = await one.query(`SELECT id, status, payload_encrypted FROM outbox_messages WHERE id IN (${ids.join(', ')}) ORDER BY id`);
      expect(rows.map((r: { id: number | string; status: string; payload_encrypted: string | null }) => [Number(r.id), r.status, r.payload_encrypted])).toEqual(
        ids.map((id) => (id === lost!.id ? [id, 'sending', 'sealed'] : [id, 'sent', null])),
      );
    });

    it('claims rows whose lease ran out first, then pending rows in the order they fell due, never more than asked', async () => {
      const crashed = await sut.enqueue(one.manager, message(30), at(-10_000));
      expect((await sut.claim('dead-worker', at(-10_000), LEASE, 10)).map((m) => m.id)).toEqual([crashed]); // its lease ends at 50 s
      const later = await sut.enqueue(one.manager, message(31), at(2_000));
      const sooner = await sut.enqueue(one.manager, message(32), at(1_000)); // queued after, due before

      const first = await other.claim('worker-b', at(LEASE), LEASE, 2);
      expect(first.map((m) => m.id).sort((a, b) => a - b)).toEqual([crashed, sooner].sort((a, b) => a - b));
      expect(first.find((m) => m.id === crashed)?.attempts).toBe(2);
      expect((await other.claim('worker-b', at(LEASE), LEASE, 2)).map((m) => m.id)).toEqual([later]);
      expect(await sut.claim('worker-c', at(LEASE), LEASE, 2)).toEqual([]);
    });

    it('a retry is not claimed before it is due', async () => {
      const id = await sut.enqueue(one.manager, message(2), NOW);
      await sut.claim('worker-a', NOW, LEASE, 10);
      await sut.markRetry(id, 'worker-a', NOW, at(30_000), 'ECONNREFUSED');
      expect(await other.claim('worker-b', at(29_999), LEASE, 10)).toEqual([]);
      const [due] = await other.claim('worker-b', at(30_000), LEASE, 10);
      expect(due?.id).toBe(id);
      expect(due?.lastError).toBe('ECONNREFUSED');
    });
  });
}
