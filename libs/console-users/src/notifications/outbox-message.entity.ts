import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/columns';

/** Lifecycle of an outbox row. `sent`, `failed` and `suppressed` are terminal. */
export enum OutboxStatus {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
  /**
   * Written terminal and never delivered: the request had to look, to the caller and in the
   * work it caused, exactly like one that sends (an unknown address on a public endpoint).
   */
  Suppressed = 'suppressed',
}

/**
 * A message to deliver, written in the same transaction as the code it carries. The payload
 * (template variables, secret included) is encrypted and dropped once the row is terminal.
 */
@Entity({ name: 'outbox_messages' })
@Index('ix_outbox_due', ['status', 'nextAttemptAt'])
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `email` or `sms`. */
  @Column({ type: 'varchar', length: 8 })
  channel!: string;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  /** Template name, e.g. `email-verify`. */
  @Column({ type: 'varchar', length: 64 })
  template!: string;

  @Column({ type: 'varchar', length: 16 })
  locale!: string;

  /** AES-256-GCM of the JSON variables; null once terminal. */
  @Column({ name: 'payload_encrypted', type: 'text', nullable: true, select: false })
  payloadEncrypted?: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'max_attempts', type: 'integer' })
  maxAttempts!: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMillis })
  nextAttemptAt!: Date;

  @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: epochMillis })
  leaseUntil!: Date | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  /** Last delivery error, without message content. */
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /** Fixed at enqueue time so a retried mail carries the same Message-ID. */
  @Column({ name: 'message_id', type: 'varchar', length: 255 })
  messageId!: string;

  /** Sender for this message (an email stage's `from_address`); null means the configured MAIL_FROM. */
  @Column({ type: 'varchar', length: 320, nullable: true })
  sender!: string | null;

  /** The code this message carries, for tracing a delivery back to its code (never its value). */
  @Column({ name: 'verification_code_id', type: 'integer', nullable: true })
  verificationCodeId!: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt!: Date;

  @Column({ name: 'sent_at', type: 'bigint', nullable: true, transformer: epochMillis })
  sentAt!: Date | null;
}
