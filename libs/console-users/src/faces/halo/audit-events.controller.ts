import { Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HaloPage } from './halo-page';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { AuditService } from '../../audit/audit.service';
import { AuditEventView, ListAuditEventsQueryDto } from './dto/audit-event.dto';

/** Pages through the audit log, newest first. No role template grants `audit-events`: super-role only. */
@ApiTags('Operations')
@HaloController('apis/api.console.halo.run/v1alpha1/audit-events')
export class AuditEventsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ operationId: 'ListAuditEvents', summary: 'Page through audit events (who did what to whom, from where, with what outcome)' })
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'audit-events', verb: 'list' })
  list(@Query() query: ListAuditEventsQueryDto): Promise<HaloPage<AuditEventView>> {
    return this.audit.list(query);
  }
}
