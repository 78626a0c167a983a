import { strictMock } from '../../../../test/support/strict-mock';
import { DeliveriesService } from './deliveries.service';
import { OutboxMessageEntity, OutboxStatus } from './outbox-message.entity';
import type { OutboxRepository } from './outbox.repository';

const at = (iso: string) => new Date(iso);

describe('DeliveriesService.list', () => {
  it('hands out the rows field by field, never the payload, with the total', async () => {
    const row = {
      id: 3,
      channel: 'email',
      recipient: 'ann@example.test',
      template: 'email-verify',
      locale: 'en',
      status: OutboxStatus.Failed,
      attempts: 5,
      maxAttempts: 5,
      lastError: 'refused',
      messageId: 'm-3',
      payload: 'the code lives here',
      createdAt: at('2026-03-01T12:00:00Z'),
      updatedAt: at('2026-03-01T12:05:00Z'),
      nextAttemptAt: at('2026-03-01T12:06:00Z'),
      sentAt: null,
    } as unknown as OutboxMessageEntity;
    const outbox = strictMock<OutboxRepository>('OutboxRepository', { listRecent: async () => [[row], 41] });
    const sut = new DeliveriesService(outbox);
    const page = await sut.list({ page: 3, size: 20, status: OutboxStatus.Failed });
    expect(page.total).toBe(41);
    expect(page.items).toEqual([
      {
        id: 3,
        channel: 'email',
        recipient: 'ann@example.test',
        template: 'email-verify',
        locale: 'en',
        status: OutboxStatus.Failed,
        attempts: 5,
        maxAttempts: 5,
        lastError: 'refused',
        messageId: 'm-3',
        createdAt: at('2026-03-01T12:00:00Z'),
        updatedAt: at('2026-03-01T12:05:00Z'),
        nextAttemptAt: at('2026-03-01T12:06:00Z'),
        sentAt: null,
      },
    ]);
    expect(jest.mocked(outbox.listRecent).mock.calls).toEqual([[3, 20, OutboxStatus.Failed]]);
  });
});
