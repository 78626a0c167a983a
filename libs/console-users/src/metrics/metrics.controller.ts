import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ConsoleAuthGuard } from '../auth/console-auth.guard';
import { HaloProblemFilter } from '../faces/halo/halo-problem.filter';
import { ConsoleResponse, setHeader } from '../http/http-types';
import { RequestBodyGuard } from '../http/request-body.guard';
import { ApiGroups } from '../rbac/rbac-labels';
import { RequiresPermission } from '../rbac/requires-permission.decorator';
import { ConsoleUsersMetrics } from './console-users-metrics';
import { MetricsEndpointGuard } from './metrics-endpoint.guard';

/** `GET /actuator/prometheus` (Spring Boot's path, as Halo has it): off unless `metrics.endpoint`. */
@ApiTags('Operations')
@Controller('actuator')
@UseGuards(MetricsEndpointGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(HaloProblemFilter)
export class MetricsController {
  constructor(private readonly metrics: ConsoleUsersMetrics) {}

  @Get('prometheus')
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'metrics', verb: 'get' })
  @ApiOperation({ summary: 'Prometheus metrics (needs role-template-view-metrics; 404 unless enabled)' })
  @ApiProduces('text/plain')
  async prometheus(@Res({ passthrough: true }) response: ConsoleResponse): Promise<string> {
    const text = await this.metrics.render();
    setHeader(response, 'Content-Type', this.metrics.contentType);
    setHeader(response, 'Cache-Control', 'no-store');
    return text;
  }
}
