import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { effectivePaging, haloPage, HaloPage } from './halo-page';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { DeliveriesService } from '../../notifications/deliveries.service';
import { DeliveryView, ListDeliveriesQueryDto, toDeliveryView } from './dto/delivery.dto';
import { DeliveryListSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';

/**
 * Recent outbox rows for operators. No role template grants `deliveries`, so only `super-role`
 * (or a custom role naming it) passes the guard, like Halo's DisableUser.
 */
@ApiTags('Operations')
@HaloController('apis/api.console.halo.run/v1alpha1/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ operationId: 'ListDeliveries', summary: 'List recent mail/SMS deliveries with status and last error (never contents)' })
  @ApiOkResponse({ type: DeliveryListSchema })
  @HaloErrors(400, 401, 403)
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'deliveries', verb: 'list' })
  async list(@Query() query: ListDeliveriesQueryDto): Promise<HaloPage<DeliveryView>> {
    const { page, size } = effectivePaging(query);
    const deliveries = await this.deliveries.list({ page, size, status: query.status, recipient: query.recipient?.trim() || undefined });
    return haloPage(deliveries.items.map(toDeliveryView), page, size, deliveries.total);
  }
}
