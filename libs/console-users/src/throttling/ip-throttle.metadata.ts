/** Route groups that share per-IP limits (all send routes of every face count together). */
export type IpThrottleGroup = 'login' | 'send' | 'verify';

/** Metadata key naming a route's {@link IpThrottleGroup}; read by the throttler guard. */
export const IP_THROTTLE_GROUP = 'console-users:ip-throttle-group';
