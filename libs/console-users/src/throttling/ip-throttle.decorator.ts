import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ConsoleThrottlerGuard } from './console-throttler.guard';

/** Route groups that share per-IP limits (all send routes of every face count together). */
export type IpThrottleGroup = 'login' | 'send' | 'verify';

export const IP_THROTTLE_GROUP = 'console-users:ip-throttle-group';

/**
 * Limits a route per client IP with the group's configured limits (login 60/min; send 10/min
 * and 50/h; verify 30/min by default). The IP comes from TRUST_PROXY rules, never blindly from
 * X-Forwarded-For.
 */
export const IpThrottle = (group: IpThrottleGroup): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IP_THROTTLE_GROUP, group), UseGuards(ConsoleThrottlerGuard));
