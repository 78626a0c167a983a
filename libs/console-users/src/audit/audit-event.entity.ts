import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMillis } from '../database/columns';
import type { StringMap } from '../common/json-map';

/** How an audited action ended. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * An append-only record of who did what to whom. Nothing updates or deletes these rows; the
 * details never hold a secret (no codes, tokens, passwords or hashes).
 */
@Entity({ name: 'audit_events' })
@Index('ix_audit_events_occurred_at', ['occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMillis })
  occurredAt!: Date;

  /** User name of the actor; null for anonymous or system actions. */
  @Column({ type: 'varchar', length: 63, nullable: true })
  actor!: string | null;

  /** e.g. `login`, `password.change`, `email.verify`, `roles.grant`, `user.disable`, `delivery.failed`. */
  @Index('ix_audit_events_action')
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  /** What was acted on: a user name, an address, an outbox id. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  target!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ type: 'simple-json' })
  details!: StringMap;
}
