/** Injection token of the ThrottlerStorage the library's guard uses (database or Redis). */
export const CONSOLE_USERS_THROTTLER_STORAGE = Symbol('console-users:throttler-storage');
