import { SetMetadata } from '@nestjs/common';

export const SAME_ORIGIN_ALWAYS_METADATA = 'console-users:same-origin-always';

/**
 * Refuses cross-origin browser posts to this route even without a session cookie: for routes
 * that start a session (`POST /login`), where a forged post would log the victim's browser in
 * to the attacker's account (login CSRF).
 */
export const SameOriginAlways = (): MethodDecorator & ClassDecorator => SetMetadata(SAME_ORIGIN_ALWAYS_METADATA, true);
