import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { effectivePaging, haloPage, HaloPage } from './halo-page';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { AuditService } from '../../audit/audit.service';
import { AuditEventView, ListAuditEventsQueryDto, toAuditEventView } from './dto/audit-event.dto';
import { AuditEventListSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';

/** Pages through the audit log, newest first. No role template grants `audit-events`: super-role only. */
@ApiTags('Operations')
@HaloController('apis/api.console.halo.run/v1alpha1/audit-events')
export class AuditEventsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ operationId: 'ListAuditEvents', summary: 'Page through audit events (who did what to whom, from where, with what outcome)' })
  @ApiOkResponse({ type: AuditEventListSchema })
  @HaloErrors(400, 401, 403)
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'audit-events', verb: 'list' })
  async list(@Query() query: ListAuditEventsQueryDto): Promise<HaloPage<AuditEventView>> {
    const { page, size } = effectivePaging(query);
    const events = await this.audit.list({ page, size, action: query.action, actor: query.actor, target: query.target });
    return haloPage(events.items.map(toAuditEventView), page, size, events.total);
  }
}
