import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { AuditEventEntity } from '../../libs/console-users/src/audit/audit-event.entity';
import { SessionEntity } from '../../libs/console-users/src/auth/session.entity';
import { EntityInsert } from '../../libs/console-users/src/database/entity-insert';
import { TransactionRunner } from '../../libs/console-users/src/database/transaction-runner';
import { newUser } from '../../libs/console-users/src/users/new-user';
import { UsersRepository } from '../../libs/console-users/src/users/users.repository';
import { VerificationCodeEntity } from '../../libs/console-users/src/verification/verification-code.entity';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';

for (const kind of testDatabases()) {
  describe(`inserting one row by a prepared statement on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let userId: number;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = new DataSource(dataSourceOptions(db.config));
      await dataSource.initialize();
      userId = (await new UsersRepository(dataSource).insert(newUser({ name: 'owner', displayName: 'Owner', email: null }), new Date())).id;
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    it('stores what a repository insert stores (dates, booleans, JSON, nulls) and answers the new id', async () => {
      const sut = new EntityInsert(dataSource, SessionEntity);
      const at = new Date(Date.UTC(2025, 5, 1, 12, 0, 0, 123));
      const values = { tokenHash: 'a'.repeat(64), userId, createdAt: at, lastSeenAt: at, expiresAt: new Date(at.getTime() + 1_000), rememberMe: true, revokedAt: null, ip: null, userAgent: 'UA “quoted” 李' };
      const first = await sut.insert(values);
      const second = await sut.insert({ ...values, tokenHash: 'b'.repeat(64), rememberMe: false, ip: '127.0.0.1' });
      expect(second).toBe(first + 1);
      const stored = await dataSource.getRepository(SessionEntity).findOneByOrFail({ id: first });
      expect(stored).toEqual({ id: first, ...values });
      expect((await dataSource.getRepository(SessionEntity).findOneByOrFail({ id: second })).rememberMe).toBe(false);

      const codes = new EntityInsert(dataSource, VerificationCodeEntity);
      const codeId = await codes.insert({
        purpose: 'email-verify', channel: 'email', kind: 'code', target: 'a@example.test', userId, secretHash: 'h'.repeat(64),
        attempts: 0, maxAttempts: 5, createdAt: at, expiresAt: at, consumedAt: null, revokedAt: null, urlTemplate: null, context: { flow: 'x', 'a/b': '李' },
      });
      const code = await dataSource.getRepository(VerificationCodeEntity).findOneOrFail({ where: { id: codeId }, select: { id: true, context: true, createdAt: true, userId: true, secretHash: true } });
      expect(code).toEqual({ id: codeId, context: { flow: 'x', 'a/b': '李' }, createdAt: at, userId, secretHash: 'h'.repeat(64) });
    });

    it('writes inside the caller’s transaction: a rollback leaves no row', async () => {
      const sut = new EntityInsert(dataSource, AuditEventEntity);
      const event = { occurredAt: new Date(), actor: null, action: 'rolled-back', target: null, ip: null, outcome: 'success' as const, details: {} };
      await expect(
        new TransactionRunner(dataSource).run(async (manager) => {
          await sut.insert(event, manager);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await dataSource.getRepository(AuditEventEntity).countBy({ action: 'rolled-back' })).toBe(0);
      await sut.insert(event);
      expect(await dataSource.getRepository(AuditEventEntity).countBy({ action: 'rolled-back' })).toBe(1);
    });

    it('refuses a row with a column left out instead of letting the database fill it in', async () => {
      const sut = new EntityInsert(dataSource, AuditEventEntity);
      await expect(sut.insert({ occurredAt: new Date(), action: 'partial', outcome: 'success', details: {} } as never)).rejects.toThrow(/no value for actor/);
      expect(await dataSource.getRepository(AuditEventEntity).countBy({ action: 'partial' })).toBe(0);
    });
  });
}
