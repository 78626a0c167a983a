import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import type { VerificationCodeEntity } from '../../libs/console-users/src/verification/verification-code.entity';
import { VerificationCodesRepository } from '../../libs/console-users/src/verification/verification-codes.repository';
import { createTestDatabase, TestDatabase, testDatabases } from '../support/databases';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const MINUTE = 60_000;

function code(target: string, overrides: Partial<VerificationCodeEntity> = {}): Omit<VerificationCodeEntity, 'id'> {
  return {
    purpose: 'email-verify',
    channel: 'email',
    kind: 'code',
    target,
    userId: 1,
    secretHash: 'a'.repeat(64),
    attempts: 0,
    maxAttempts: 5,
    createdAt: NOW,
    expiresAt: new Date(NOW.getTime() + 10 * MINUTE),
    consumedAt: null,
    revokedAt: null,
    urlTemplate: null,
    context: {},
    ...overrides,
  };
}

for (const kind of testDatabases()) {
  // Two DataSources on one database: two server instances racing, each with its own pool.
  describe(`VerificationCodesRepository races on ${kind}`, () => {
    let db: TestDatabase;
    let one: DataSource;
    let two: DataSource;
    let sut: VerificationCodesRepository;
    let other: VerificationCodesRepository;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      one = await new DataSource(dataSourceOptions(db.config)).initialize();
      two = await new DataSource({ ...dataSourceOptions(db.config), migrationsRun: false }).initialize();
      sut = new VerificationCodesRepository(one);
      other = new VerificationCodesRepository(two);
    });

    afterAll(async () => {
      await one?.destroy();
      await two?.destroy();
      await db?.drop();
    });

    it('16 concurrent consumes of one code from two instances: exactly one wins', async () => {
      const id = await sut.insert(one.manager, code('race@example.test'));
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? sut : other).consume(id, NOW)));
      expect(results.filter(Boolean).length).toBe(1);
      expect((await sut.findById(id))?.consumedAt).toBeTruthy();
    });

    it('50 concurrent attempts on a 5-try code: exactly 5 are counted', async () => {
      const id = await sut.insert(one.manager, code('tries@example.test'));
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? sut : other).registerAttempt(id, NOW)));
      expect(results.filter(Boolean).length).toBe(5);
      expect((await sut.findById(id))?.attempts).toBe(5);
      await sut.burnIfExhausted(id, NOW);
      expect(await sut.consume(id, NOW)).toBe(false); // a burned code cannot be consumed
    });

    it('expiry is exclusive: consumable one millisecond before, not at the instant', async () => {
      const early = await sut.insert(one.manager, code('ttl-1@example.test'));
      const late = await sut.insert(one.manager, code('ttl-2@example.test'));
      expect(await sut.consume(early, new Date(NOW.getTime() + 10 * MINUTE - 1))).toBe(true);
      expect(await sut.consume(late, new Date(NOW.getTime() + 10 * MINUTE))).toBe(false);
      expect(await sut.registerAttempt(late, new Date(NOW.getTime() + 10 * MINUTE))).toBe(false);
    });

    it("a new code revokes the user's live ones for the same target, not other users' or other targets'", async () => {
      const mine = await sut.insert(one.manager, code('shared@example.test'));
      const theirs = await sut.insert(one.manager, code('shared@example.test', { userId: 2 }));
      const elsewhere = await sut.insert(one.manager, code('other@example.test'));
      await sut.revokeLive(one.manager, 'email-verify', 'email', 'shared@example.test', 1, NOW);
      expect((await sut.findById(mine))?.revokedAt).toBeTruthy();
      expect((await sut.findById(theirs))?.revokedAt).toBe(null);
      expect((await sut.findById(elsewhere))?.revokedAt).toBe(null);
      expect(await sut.consume(mine, NOW)).toBe(false);
    });
  });
}
