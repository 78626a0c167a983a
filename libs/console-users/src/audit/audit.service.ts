import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import type { StringMap } from '../common/json-map';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { EntityInsert } from '../database/entity-insert';
import type { Page } from '../common/page';
import { AuditEventEntity, AuditOutcome } from './audit-event.entity';

/** One event to record. */
export interface AuditRecord {
  actor: string | null;
  action: string;
  target?: string | null;
  ip?: string | null;
  outcome: AuditOutcome;
  /** Non-secret facts only. */
  details?: StringMap;
}

/** A recorded event, as the core hands it out (never the entity). */
export interface AuditEvent {
  id: number;
  occurredAt: Date;
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  details: StringMap;
}

/** Which events to list: a 1-based page, its size, exact-match filters. */
export interface AuditEventFilter {
  page: number;
  size: number;
  action?: string;
  actor?: string;
  target?: string;
}

/** Detail keys that must never be stored, whatever a caller passes. */
const FORBIDDEN_DETAIL_KEYS = /pass|secret|token|code|hash|cookie|authorization|link/i;

/** Appends audit events, inside the caller's transaction when given one (so they commit with the change). */
@Injectable()
export class AuditService {
  private readonly inserter: EntityInsert<AuditEventEntity>;

  constructor(
    @Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {
    this.inserter = new EntityInsert(db, AuditEventEntity);
  }

  async record(event: AuditRecord, manager?: EntityManager): Promise<void> {
    const details: StringMap = {};
    for (const [key, value] of Object.entries(event.details ?? {})) {
      if (!FORBIDDEN_DETAIL_KEYS.test(key)) {
        details[key] = String(value).slice(0, 500);
      }
    }
    await this.inserter.insert(
      {
        occurredAt: this.clock.now(),
        actor: event.actor?.slice(0, 63) ?? null,
        action: event.action,
        target: event.target?.slice(0, 254) ?? null,
        ip: event.ip?.slice(0, 64) ?? null,
        outcome: event.outcome,
        details,
      },
      manager,
    );
  }

  /** A page of events, newest first, filtered by exact action, actor and target. */
  async list(filter: AuditEventFilter): Promise<Page<AuditEvent>> {
    const where: FindOptionsWhere<AuditEventEntity> = {};
    if (filter.action) where.action = filter.action;
    if (filter.actor) where.actor = filter.actor;
    if (filter.target) where.target = filter.target;
    const [rows, total] = await this.db
      .getRepository(AuditEventEntity)
      .findAndCount({ where, order: { id: 'DESC' }, skip: (filter.page - 1) * filter.size, take: filter.size });
    return { items: rows.map(toAuditEvent), total };
  }
}

function toAuditEvent(row: AuditEventEntity): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    actor: row.actor,
    action: row.action,
    target: row.target,
    ip: row.ip,
    outcome: row.outcome,
    details: { ...row.details },
  };
}
