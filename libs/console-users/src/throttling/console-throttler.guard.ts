import { ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ClientIpResolver } from '../http/client-ip';
import { ConsoleUsersMetrics } from '../metrics/console-users-metrics';
import type { ConsoleRequest } from '../http/http-types';
import { IP_THROTTLE_GROUP, IpThrottleGroup } from './ip-throttle.metadata';
import { CONSOLE_USERS_THROTTLER_STORAGE } from './throttling.tokens';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * @nestjs/throttler's guard with our rules: limits per route group from the module options,
 * the client IP under TRUST_PROXY, shared keys per group, and a 429 in the face's error format.
 */
@Injectable()
export class ConsoleThrottlerGuard extends ThrottlerGuard {
  private readonly ipResolver: ClientIpResolver;

  constructor(
    // Every parameter is declared: the parent's own @Inject metadata would otherwise leak in.
    @Inject(CONSOLE_USERS_THROTTLER_STORAGE) storage: ThrottlerStorage,
    @Inject(Reflector) reflector: Reflector,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly settings: ResolvedConsoleUsersOptions,
    @Optional() @Inject(ConsoleUsersMetrics) private readonly metrics?: ConsoleUsersMetrics,
  ) {
    const group = (context: ExecutionContext) =>
      reflector.getAllAndOverride<IpThrottleGroup>(IP_THROTTLE_GROUP, [context.getHandler(), context.getClass()]) ?? 'send';
    const limits = settings.throttling;
    super(
      {
        throttlers: [
          { name: 'per-minute', ttl: MINUTE, limit: (context) => limits[group(context)].perMinute },
          {
            name: 'per-hour',
            ttl: HOUR,
            limit: (context) => limits[group(context)].perHour ?? Number.MAX_SAFE_INTEGER,
            skipIf: (context) => limits[group(context)].perHour === undefined,
          },
        ],
      },
      storage,
      reflector,
    );
    this.ipResolver = new ClientIpResolver(settings.trustProxy);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as ConsoleRequest;
    request.consoleClientIp ??= this.ipResolver.resolve(request);
    return request.consoleClientIp;
  }

  /** One bucket per (group, window, IP), whatever route of the group was called. */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    const group = this.reflector.getAllAndOverride<string>(IP_THROTTLE_GROUP, [context.getHandler(), context.getClass()]) ?? 'send';
    return `ip:${group}:${name}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const group = this.reflector.getAllAndOverride<string>(IP_THROTTLE_GROUP, [context.getHandler(), context.getClass()]) ?? 'send';
    this.metrics?.rateLimited(`ip-${group}-${detail.ttl >= HOUR ? 'per-hour' : 'per-minute'}`);
    throw new DomainError(ErrorCode.RateLimited, 'API rate limit exceeded, please try again later.', {
      retryAfterSeconds: detail.timeToBlockExpire,
    });
  }
}
