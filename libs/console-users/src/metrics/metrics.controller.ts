import { Controller, Get, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ConsoleAuthGuard } from '../auth/console-auth.guard';
import { HaloProblemFilter } from '../faces/halo/halo-problem.filter';
import { HaloErrors } from '../faces/halo/openapi/halo-errors';
import { ConsoleResponse, setHeader } from '../http/http-types';
import { RequestBodyGuard } from '../http/request-body.guard';
import { ApiGroups } from '../rbac/rbac-labels';
import { RequiresPermission } from '../rbac/requires-permission.decorator';
import { ConsoleUsersMetrics } from './console-users-metrics';
import { MetricsEndpointGuard } from './metrics-endpoint.guard';

const PROMETHEUS_EXAMPLE = [
  '# HELP console_users_login_failures_total Failed logins (form, JSON and HTTP Basic) by reason',
  '# TYPE console_users_login_failures_total counter',
  'console_users_login_failures_total{reason="bad-credentials"} 3',
  '',
].join('\n');

/** `GET /actuator/prometheus` (Spring Boot's path, as Halo has it): off unless `metrics.endpoint`. */
@ApiTags('Operations')
@Controller('actuator')
@UseGuards(MetricsEndpointGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(HaloProblemFilter)
export class MetricsController {
  constructor(private readonly metrics: ConsoleUsersMetrics) {}

  @Get('prometheus')
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'metrics', verb: 'get' })
  @ApiOperation({ operationId: 'Prometheus', summary: 'Prometheus metrics (needs role-template-view-metrics; 404 unless enabled)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format (`text/plain; version=0.0.4`)',
    content: { 'text/plain': { schema: { type: 'string' }, example: PROMETHEUS_EXAMPLE } },
  })
  @HaloErrors(401, 403, 'endpointOff')
  async prometheus(@Res({ passthrough: true }) response: ConsoleResponse): Promise<string> {
    const text = await this.metrics.render();
    setHeader(response, 'Content-Type', this.metrics.contentType);
    setHeader(response, 'Cache-Control', 'no-store');
    return text;
  }
}
