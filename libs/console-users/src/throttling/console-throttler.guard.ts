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
import type { StorageRecord, WindowHit, WindowsThrottlerStorage } from './database-throttler.storage';
import { IP_THROTTLE_GROUP, IpThrottleGroup } from './ip-throttle.metadata';
import { CONSOLE_USERS_THROTTLER_STORAGE } from './throttling.tokens';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The per-IP windows of a route group, in the order they are counted; a group without a limit has no such window. */
const WINDOWS: { name: string; ttl: number; limitOf(limits: { perMinute: number; perHour?: number }): number | undefined }[] = [
  { name: 'per-minute', ttl: MINUTE, limitOf: (limits) => limits.perMinute },
  { name: 'per-hour', ttl: HOUR, limitOf: (limits) => limits.perHour },
];

/** The route group a handler's `@IpThrottle` names (`send` when none does). */
function groupOf(reflector: Reflector, context: ExecutionContext): IpThrottleGroup {
  return reflector.getAllAndOverride<IpThrottleGroup>(IP_THROTTLE_GROUP, [context.getHandler(), context.getClass()]) ?? 'send';
}

/** One bucket per (group, window, IP), whatever route of the group was called. */
function bucketKey(group: IpThrottleGroup, window: string, tracker: string): string {
  return `ip:${group}:${window}:${tracker}`;
}

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
    const limitsOf = (context: ExecutionContext) => settings.throttling[groupOf(reflector, context)];
    // @nestjs/throttler's own description of the windows (it checks at start-up that there are
    // some); canActivate below counts them.
    super(
      {
        throttlers: WINDOWS.map((window) => ({
          name: window.name,
          ttl: window.ttl,
          limit: (context: ExecutionContext) => window.limitOf(limitsOf(context)) ?? Number.MAX_SAFE_INTEGER,
          skipIf: (context: ExecutionContext) => window.limitOf(limitsOf(context)) === undefined,
        })),
      },
      storage,
      reflector,
    );
    this.ipResolver = new ClientIpResolver(settings.trustProxy);
  }

  /**
   * The request's windows (per minute, and per hour when the group has one) counted in order, as
   * @nestjs/throttler counts them (a request refused by a window is not counted in the later ones;
   * the same headers), but in one storage call when the storage can ({@link WindowsThrottlerStorage}):
   * our database storage then writes one upsert per request instead of one per window.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const group = groupOf(this.reflector, context);
    const limits = this.settings.throttling[group];
    const { req, res } = this.getRequestResponse(context);
    const tracker = await this.getTracker(req);
    const windows = WINDOWS.flatMap(({ name, ttl, limitOf }) => {
      const limit = limitOf(limits);
      return limit === undefined ? [] : [{ name, ttl, limit }];
    });
    const hits = windows.map((window) => ({ key: bucketKey(group, window.name, tracker), ttl: window.ttl, limit: window.limit }));
    const records = await this.countInOrder(hits, windows);
    for (const [i, record] of records.entries()) {
      const { name, ttl, limit } = windows[i]!;
      if (record.isBlocked) {
        this.setResponseHeader(res, `Retry-After-${name}`, record.timeToBlockExpire);
        await this.throwThrottlingException(context, { limit, ttl, key: hits[i]!.key, tracker, ...record });
      }
      this.setResponseHeader(res, `${this.headerPrefix}-Limit-${name}`, limit);
      this.setResponseHeader(res, `${this.headerPrefix}-Remaining-${name}`, Math.max(0, limit - record.totalHits));
      this.setResponseHeader(res, `${this.headerPrefix}-Reset-${name}`, record.timeToExpire);
    }
    return true;
  }

  private async countInOrder(hits: WindowHit[], windows: { name: string }[]): Promise<StorageRecord[]> {
    const storage = this.storageService as ThrottlerStorage & Partial<WindowsThrottlerStorage>;
    if (storage.incrementInOrder) {
      return storage.incrementInOrder(hits);
    }
    // A storage of the host's that counts one window at a time.
    const records: StorageRecord[] = [];
    for (const [i, hit] of hits.entries()) {
      const record = await storage.increment(hit.key, hit.ttl, hit.limit, hit.ttl, windows[i]!.name);
      records.push(record);
      if (record.isBlocked) {
        break;
      }
    }
    return records;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as ConsoleRequest;
    request.consoleClientIp ??= this.ipResolver.resolve(request);
    return request.consoleClientIp;
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    return bucketKey(groupOf(this.reflector, context), name, tracker);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const group = groupOf(this.reflector, context);
    this.metrics?.rateLimited(`ip-${group}-${detail.ttl >= HOUR ? 'per-hour' : 'per-minute'}`);
    throw new DomainError(ErrorCode.RateLimited, 'API rate limit exceeded, please try again later.', {
      retryAfterSeconds: detail.timeToBlockExpire,
    });
  }
}
