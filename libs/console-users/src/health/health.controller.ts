import { Controller, Get, Inject, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { ConsoleAuthGuard } from '../auth/console-auth.guard';
import { RequestBodyGuard } from '../http/request-body.guard';
import { SameOriginGuard } from '../http/same-origin.guard';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { HaloProblemFilter } from '../faces/halo/halo-problem.filter';
import { ConsoleResponse, setHeader, setStatus } from '../http/http-types';
import { PublicRoute } from '../rbac/requires-permission.decorator';
import { HealthSchema, LivenessSchema, ServerClosingSchema } from '../faces/halo/openapi/halo-schemas';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DeliveryMonitor } from '../notifications/delivery-monitor';
import { HEALTH_CHECK_TIMEOUT_MS } from './health-indicator';

/** The status of one component or of the whole. */
export type HealthStatus = 'UP' | 'DOWN';

/** Spring-Actuator-style health answer. */
export interface HealthView {
  status: HealthStatus;
  components: Record<string, { status: HealthStatus }>;
}

/**
 * `GET /actuator/health` and its two groups, as Spring Boot names them:
 * - `liveness`: the process answers (never touches a dependency; restart it when this fails);
 * - `readiness`: the database and, when configured, Redis answer (take the instance out of the
 *   load balancer when this fails). Mail is reported but does not decide: mail waits in the
 *   outbox while the SMTP server is away, and every other route still works.
 * Every answer comes within 2 s: each check has {@link HEALTH_CHECK_TIMEOUT_MS}.
 */
@ApiTags('Operations')
@Controller('actuator')
@UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(HaloProblemFilter)
export class HealthController {
  constructor(
    @Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    private readonly deliveries: DeliveryMonitor,
  ) {}

  @Get('health')
  @PublicRoute()
  @ApiOperation({ operationId: 'Health', summary: 'Health of the server and every component (database, Redis, mail)' })
  @ApiOkResponse({ type: HealthSchema })
  @ApiServiceUnavailableResponse({ type: HealthSchema, description: 'The database or Redis does not answer' })
  async health(@Res({ passthrough: true }) response: ConsoleResponse): Promise<HealthView> {
    return this.answer(response, await this.components());
  }

  @Get('health/liveness')
  @PublicRoute()
  @ApiOperation({ operationId: 'HealthLiveness', summary: 'Liveness: the process answers (no dependency is checked)' })
  @ApiOkResponse({ type: LivenessSchema })
  @ApiServiceUnavailableResponse({ type: ServerClosingSchema, description: 'The server is shutting down: it answers every request so while it drains' })
  liveness(@Res({ passthrough: true }) response: ConsoleResponse): { status: HealthStatus } {
    setHeader(response, 'Cache-Control', 'no-store');
    return { status: 'UP' };
  }

  @Get('health/readiness')
  @PublicRoute()
  @ApiOperation({ operationId: 'HealthReadiness', summary: 'Readiness: the database and, when configured, Redis answer' })
  @ApiOkResponse({ type: HealthSchema })
  @ApiServiceUnavailableResponse({ type: HealthSchema, description: 'The database or Redis does not answer: take the instance out of the load balancer' })
  async readiness(@Res({ passthrough: true }) response: ConsoleResponse): Promise<HealthView> {
    return this.answer(response, await this.components());
  }

  private answer(response: ConsoleResponse, components: HealthView['components']): HealthView {
    // Mail is shown, not counted (see the class comment).
    const up = Object.entries(components).every(([name, component]) => name === 'mail' || component.status === 'UP');
    setHeader(response, 'Cache-Control', 'no-store');
    if (!up) {
      setStatus(response, 503);
    }
    return { status: up ? 'UP' : 'DOWN', components };
  }

  private async components(): Promise<HealthView['components']> {
    const checks: [string, Promise<void>][] = [
      ['db', this.db.query('SELECT 1').then(() => undefined)],
      ...this.options.healthIndicators.map((indicator): [string, Promise<void>] => [indicator.name, indicator.check()]),
    ];
    const results = await Promise.all(checks.map(([, check]) => withinLimit(check)));
    const components: HealthView['components'] = {};
    checks.forEach(([name], i) => {
      components[name] = { status: results[i] ? 'UP' : 'DOWN' };
    });
    // Only a real transport can fail; the dev mailbox (a folder) has no component.
    if (this.options.mail.transport !== undefined || this.options.customMailTransport) {
      components.mail = { status: this.deliveries.failing ? 'DOWN' : 'UP' };
    }
    return components;
  }
}

/** True when the check resolved within the time limit. */
async function withinLimit(check: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
