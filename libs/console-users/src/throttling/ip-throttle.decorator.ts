import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ConsoleThrottlerGuard } from './console-throttler.guard';

import { IP_THROTTLE_GROUP, IpThrottleGroup } from './ip-throttle.metadata';

export { IP_THROTTLE_GROUP, IpThrottleGroup };

/**
 * Limits a route per client IP with the group's configured limits (login 60/min; send 10/min
 * and 50/h; verify 30/min by default). The IP comes from TRUST_PROXY rules, never blindly from
 * X-Forwarded-For.
 */
export const IpThrottle = (group: IpThrottleGroup): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IP_THROTTLE_GROUP, group), UseGuards(ConsoleThrottlerGuard));
