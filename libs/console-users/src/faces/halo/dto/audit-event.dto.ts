import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { StringMap } from '../../../common/json-map';
import { PageQueryDto } from '../halo-page';
import type { AuditOutcome } from '../../../audit/audit-event.entity';
import type { AuditEvent } from '../../../audit/audit.service';

/** Query of the audit list: paging and exact-match filters. */
export class ListAuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 64, example: 'user.create' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ maxLength: 63, example: 'admin' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  actor?: string;

  @ApiPropertyOptional({ maxLength: 254, example: 'jane' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  target?: string;
}

/** One audit event as operators see it. */
export interface AuditEventView {
  id: number;
  occurredAt: string;
  /** Absent for anonymous and system actions (the delivery worker). */
  actor?: string;
  action: string;
  target?: string;
  ip?: string;
  outcome: AuditOutcome;
  details: StringMap;
}

/** Maps an audit row field by field; null fields are left out, as in Halo responses. */
export function toAuditEventView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    ...(event.actor !== null ? { actor: event.actor } : {}),
    action: event.action,
    ...(event.target !== null ? { target: event.target } : {}),
    ...(event.ip !== null ? { ip: event.ip } : {}),
    outcome: event.outcome,
    details: { ...event.details },
  };
}
