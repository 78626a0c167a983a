import type { EntityManager } from 'typeorm';
import type { AuditRecord, AuditService } from '../audit/audit.service';
import type { ResolvedConsoleUsersOptions } from '../console-users.options';
import type { TransactionRunner } from '../database/transaction-runner';
import { DeliveryMonitor } from './delivery-monitor';
import type { MailTransport, OutgoingMail } from './mail-transport';
import type { NotificationsService } from './notifications.service';
import { OutboxMessageEntity, OutboxStatus } from './outbox-message.entity';
import type { ClaimedMessage, OutboxRepository } from './outbox.repository';
import type { PayloadCipher } from './payload-cipher';
import type { SmsSender } from './sms-sender';
import type { TemplateRenderer } from './template-renderer';
import { OutboxWorker } from './outbox-worker.service';

/** A promise with its resolve handle, to hold a send or a transaction until the test lets it go. */
function held(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Longer than the worker waits to gather sent marks. */
const gathered = () => new Promise<void>((resolve) => setTimeout(resolve, 30));

function message(id: number): ClaimedMessage {
  return Object.assign(new OutboxMessageEntity(), {
    id,
    channel: 'email',
    recipient: `r${id}@example.test`,
    template: 'email-verify',
    locale: 'en',
    payloadEncrypted: 'sealed',
    sender: null,
    status: OutboxStatus.Sending,
    attempts: 1,
    maxAttempts: 6,
    messageId: `<${id}@console.test>`,
  });
}

/**
 * The worker's collaborators as ports: an in-memory outbox, a transport whose sends the test
 * releases one by one, a transaction runner that can be held open. The rules under test (how many
 * messages are in flight, when the next claim happens, which marks share a transaction) are the
 * worker's own.
 */
function setUp(batchSize: number, queued: number) {
  const due = Array.from({ length: queued }, (_, i) => message(i + 1));
  const claims: number[] = [];
  /** What each claim was told the worker still holds (in flight, or sent and not yet marked). */
  const heldAtClaim: number[][] = [];
  const sentMarks: number[][] = [];
  const sends = new Map<string, () => void>();
  const audits: AuditRecord[] = [];
  let transactionGate: Promise<void> = Promise.resolve();
  let marksFail = false;

  const outbox = {
    claim: async (_owner: string, _now: Date, _lease: number, limit: number, holding: readonly number[] = []) => {
      claims.push(limit);
      heldAtClaim.push([...holding].sort((a, b) => a - b));
      return due.splice(0, limit);
    },
    markSent: async (ids: number[]) => {
      if (marksFail) {
        throw new Error('database went away');
      }
      sentMarks.push(ids);
      return ids;
    },
    markFailed: async (ids: number[]) => ids,
    markRetry: async () => undefined,
  } as unknown as OutboxRepository;
  const mail: MailTransport = {
    send: (outgoing: OutgoingMail) => {
      const send = held();
      sends.set(outgoing.to, send.release);
      return send.promise;
    },
  };
  const tx = {
    run: async <T>(work: (manager: EntityManager) => Promise<T>) => {
      await transactionGate;
      return work({} as EntityManager);
    },
    afterCommit: (_manager: EntityManager, hook: () => void) => hook(),
  } as unknown as TransactionRunner;
  const clock = { now: () => new Date('2026-03-01T12:00:00.000Z') };
  const options = {
    publicUrl: 'http://console.test',
    mail: { from: 'console@example.test' },
    outbox: { enabled: false, leaseMs: 60_000, batchSize, backoffBaseMs: 1_000 },
  } as unknown as ResolvedConsoleUsersOptions;
  const worker = new OutboxWorker(
    outbox,
    {} as NotificationsService,
    { renderMail: () => ({ subject: 's', text: 't', htmlTemplate: 'h' }) } as unknown as TemplateRenderer,
    { record: async (event: AuditRecord) => void audits.push(event) } as unknown as AuditService,
    tx,
    { decrypt: () => ({ code: '123456' }) } as unknown as PayloadCipher,
    mail,
    {} as SmsSender,
    clock,
    options,
    new DeliveryMonitor(clock),
  );
  return {
    worker,
    claims,
    heldAtClaim,
    sentMarks,
    audits,
    /** Recipients whose send is under way and not released yet. */
    sending: () => [...sends.keys()],
    deliver: (id: number) => {
      const to = `r${id}@example.test`;
      sends.get(to)!();
      sends.delete(to);
    },
    failMarks: (fail: boolean) => (marksFail = fail),
    holdTransactions: () => {
      const gate = held();
      transactionGate = gate.promise;
      return () => {
        transactionGate = Promise.resolve();
        gate.release();
      };
    },
  };
}

describe('OutboxWorker', () => {
  it('keeps up to batchSize messages in flight and claims more once half of them are done, without waiting for the rest', async () => {
    const t = setUp(4, 10);
    const drained = t.worker.drain();
    await flush();
    expect(t.sending()).toEqual(['r1@example.test', 'r2@example.test', 'r3@example.test', 'r4@example.test']);

    t.deliver(1);
    t.deliver(2);
    await gathered();
    // r3 and r4 are still on their way; two more were claimed beside them, never r3 or r4 again.
    expect(t.claims).toEqual([4, 2]);
    expect(t.heldAtClaim).toEqual([[], [3, 4]]);
    expect(t.sending()).toEqual(['r3@example.test', 'r4@example.test', 'r5@example.test', 'r6@example.test']);

    for (let id = 3; id <= 10; id++) {
      t.deliver(id);
      await gathered();
    }
    await drained;
    expect(t.sentMarks.flat().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(t.audits.map((event) => event.action)).toEqual(Array(10).fill('delivery.sent'));
    expect(new Set(t.audits.map((event) => event.details?.deliveryId)).size).toBe(10);
  });

  it('writes the sent marks of mails that finish close together in one transaction', async () => {
    const t = setUp(4, 4);
    const drained = t.worker.drain();
    await flush();
    for (let id = 1; id <= 4; id++) {
      t.deliver(id);
      await flush();
    }
    await drained;
    expect(t.sentMarks).toEqual([[1, 2, 3, 4]]);
    expect(t.audits.map((event) => event.details?.deliveryId)).toEqual(['1', '2', '3', '4']);
  });

  it('writes the sent marks that arrive while a transaction is open together, in the next one', async () => {
    const t = setUp(4, 4);
    const drained = t.worker.drain();
    await flush();
    const release = t.holdTransactions();
    t.deliver(1); // its mark waits at the held transaction
    await gathered();
    t.deliver(2);
    t.deliver(3);
    t.deliver(4);
    await flush();
    release();
    await drained;
    expect(t.sentMarks).toEqual([[1], [2, 3, 4]]);
    expect(t.audits.map((event) => event.details?.deliveryId)).toEqual(['1', '2', '3', '4']);
  });

  it('ends the drain with the database error once the messages in flight have settled; the next round writes their marks without sending again', async () => {
    const t = setUp(2, 2);
    t.failMarks(true);
    const drained = t.worker.drain();
    await flush();
    t.deliver(1);
    t.deliver(2);
    await expect(drained).rejects.toThrow('database went away');
    expect(t.sentMarks).toEqual([]);

    t.failMarks(false);
    await t.worker.drain();
    expect(t.sentMarks).toEqual([[1, 2]]);
    expect(t.sending()).toEqual([]);
    expect(t.claims).toEqual([2, 2]); // the first claim, then the new round's (nothing due)
  });
});
