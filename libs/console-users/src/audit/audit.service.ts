import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import type { StringMap } from '../common/json-map';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { effectivePaging, haloPage, HaloPage } from '../http/halo-page';
import { AuditEventEntity, AuditOutcome } from './audit-event.entity';
import { AuditEventView, ListAuditEventsQueryDto, toAuditEventView } from './dto/audit-event.dto';

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

/** Detail keys that must never be stored, whatever a caller passes. */
const FORBIDDEN_DETAIL_KEYS = /pass|secret|token|code|hash|cookie|authorization|link/i;

/** Appends audit events, inside the caller's transaction when given one (so they commit with the change). */
@Injectable()
export class AuditService {
  constructor(
    @Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async record(event: AuditRecord, manager?: EntityManager): Promise<void> {
    const details: StringMap = {};
    for (const [key, value] of Object.entries(event.details ?? {})) {
      if (!FORBIDDEN_DETAIL_KEYS.test(key)) {
        details[key] = String(value).slice(0, 500);
      }
    }
    await (manager ?? this.db.manager).getRepository(AuditEventEntity).insert({
      occurredAt: this.clock.now(),
      actor: event.actor?.slice(0, 63) ?? null,
      action: event.action,
      target: event.target?.slice(0, 254) ?? null,
      ip: event.ip?.slice(0, 64) ?? null,
      outcome: event.outcome,
      details,
    });
  }

  /** A page of events for operators, newest first, filtered by exact action and actor. */
  async list(query: ListAuditEventsQueryDto): Promise<HaloPage<AuditEventView>> {
    const { page, size } = effectivePaging(query);
    const [events, total] = await this.page(page, size, { action: query.action, actor: query.actor, target: query.target });
    return haloPage(events.map(toAuditEventView), page, size, total);
  }

  /** A page of events, newest first. */
  async page(page: number, size: number, filter: { action?: string; actor?: string; target?: string } = {}): Promise<[AuditEventEntity[], number]> {
    const where: FindOptionsWhere<AuditEventEntity> = {};
    if (filter.action) where.action = filter.action;
    if (filter.actor) where.actor = filter.actor;
    if (filter.target) where.target = filter.target;
    return this.db.getRepository(AuditEventEntity).findAndCount({ where, order: { id: 'DESC' }, skip: (page - 1) * size, take: size });
  }
}
