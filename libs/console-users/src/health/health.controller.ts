import { Controller, Get, Inject, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { ConsoleAuthGuard } from '../auth/console-auth.guard';
import { RequestBodyGuard } from '../http/request-body.guard';
import { SameOriginGuard } from '../http/same-origin.guard';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { HaloProblemFilter } from '../faces/halo/halo-problem.filter';
import { ConsoleResponse, setStatus } from '../http/http-types';
import { PublicRoute } from '../rbac/requires-permission.decorator';
import { HealthSchema } from '../faces/halo/openapi/halo-schemas';

/** Spring-Actuator-style health answer. */
export interface HealthView {
  status: 'UP' | 'DOWN';
  components: { db: { status: 'UP' | 'DOWN' } };
}

/** `GET /actuator/health`: UP when the database answers. */
@ApiTags('Operations')
@Controller('actuator')
@UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(HaloProblemFilter)
export class HealthController {
  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {}

  @Get('health')
  @PublicRoute()
  @ApiOperation({ operationId: 'Health', summary: 'Health of the server and its database' })
  @ApiOkResponse({ type: HealthSchema })
  @ApiServiceUnavailableResponse({ type: HealthSchema, description: 'The database does not answer' })
  async health(@Res({ passthrough: true }) response: ConsoleResponse): Promise<HealthView> {
    let up = false;
    try {
      await this.db.query('SELECT 1');
      up = true;
    } catch {
      up = false;
    }
    if (!up) {
      setStatus(response, 503);
    }
    const status = up ? 'UP' : 'DOWN';
    return { status, components: { db: { status } } };
  }
}
