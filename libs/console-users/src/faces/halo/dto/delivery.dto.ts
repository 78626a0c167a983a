import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../halo-page';
import { OutboxStatus } from '../../../notifications/outbox-message.entity';
import type { Delivery } from '../../../notifications/deliveries.service';

/** Query of the deliveries list. */
export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.values(OutboxStatus) })
  @IsOptional()
  @IsIn(Object.values(OutboxStatus), { message: `status must be one of ${Object.values(OutboxStatus).join(', ')}` })
  status?: OutboxStatus;

  /** Exact recipient address or number, as the outbox stores it. */
  @ApiPropertyOptional({ maxLength: 254, example: 'jane@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  recipient?: string;
}

/** One outbox row as operators see it: state and errors, never the payload (it holds the code). */
export interface DeliveryView {
  id: number;
  channel: string;
  recipient: string;
  template: string;
  locale: string;
  status: OutboxStatus;
  attempts: number;
  maxAttempts: number;
  lastError?: string;
  messageId: string;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  sentAt?: string;
}

/** Maps a delivery field by field; null fields are left out, as in Halo responses. */
export function toDeliveryView(row: Delivery): DeliveryView {
  return {
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    locale: row.locale,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    ...(row.lastError !== null ? { lastError: row.lastError } : {}),
    messageId: row.messageId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.status === OutboxStatus.Pending ? { nextAttemptAt: row.nextAttemptAt.toISOString() } : {}),
    ...(row.sentAt !== null ? { sentAt: row.sentAt.toISOString() } : {}),
  };
}
