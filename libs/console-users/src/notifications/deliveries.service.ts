import { Injectable } from '@nestjs/common';
import type { Page } from '../common/page';
import { OutboxMessageEntity, OutboxStatus } from './outbox-message.entity';
import { OutboxRepository } from './outbox.repository';

/** One outbox row for operators: state and errors, never the payload (it holds the code). */
export interface Delivery {
  id: number;
  channel: string;
  recipient: string;
  template: string;
  locale: string;
  status: OutboxStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  messageId: string;
  createdAt: Date;
  updatedAt: Date;
  nextAttemptAt: Date;
  sentAt: Date | null;
}

/** Which deliveries to list: a 1-based page, its size, an optional status and exact recipient. */
export interface DeliveryFilter {
  page: number;
  size: number;
  status?: OutboxStatus;
  recipient?: string;
}

/** Operators' view of the outbox: what was delivered, what is waiting, what failed and why. */
@Injectable()
export class DeliveriesService {
  constructor(private readonly outbox: OutboxRepository) {}

  async list(filter: DeliveryFilter): Promise<Page<Delivery>> {
    const [rows, total] = await this.outbox.listRecent(filter.page, filter.size, filter.status, filter.recipient);
    return { items: rows.map(toDelivery), total };
  }
}

/** Fields picked one by one so a new column (or the payload) never leaks by default. */
function toDelivery(row: OutboxMessageEntity): Delivery {
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    locale: row.locale,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    messageId: row.messageId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    nextAttemptAt: row.nextAttemptAt,
    sentAt: row.sentAt,
  };
}
