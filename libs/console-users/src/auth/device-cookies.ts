import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { randomToken, safeEqual, sha256Hex } from '../common/crypto';
import { deriveKey } from '../common/keys';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';

/** Name of the cookie a browser receives after a successful login. */
export const DEVICE_COOKIE = 'CONSOLE_DEVICE';

const VERSION = 'v1';

/**
 * OWASP's device cookies: after a successful login the browser receives a signed cookie naming
 * the account. A later login to that account presenting it is a known client, counted on its
 * own budget, so a stranger's failures cannot lock it out. Stateless (an HMAC under a key derived
 * from the app secret), bound to the user id and to its issue time, which bounds its age.
 */
@Injectable()
export class DeviceCookies {
  private readonly key: Buffer;

  constructor(
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {
    this.key = deriveKey(options.appSecret, 'device-cookie');
  }

  /** Seconds the cookie lives in the browser (and is honoured here). */
  get maxAgeSeconds(): number {
    return Math.floor(this.options.loginLimits.deviceCookieMaxAgeMs / 1000);
  }

  /** A new cookie value for a browser that just logged in as `userId`. */
  issue(userId: number): string {
    const body = `${VERSION}.${userId}.${Math.floor(this.clock.now().getTime() / 1000)}.${randomToken(18)}`;
    return `${body}.${this.sign(body)}`;
  }

  /**
   * The budget key of a cookie that is genuine, unexpired and names `userId`; null otherwise
   * (absent, forged, another account's, too old). The key is a hash: the bucket table never
   * holds a usable cookie.
   */
  deviceKeyFor(cookie: string | null | undefined, userId: number): string | null {
    if (!cookie || cookie.length > 200) {
      return null;
    }
    const parts = cookie.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION || parts[1] !== String(userId)) {
      return null;
    }
    const body = parts.slice(0, 4).join('.');
    if (!safeEqual(this.sign(body), parts[4]!)) {
      return null;
    }
    const issuedMs = Number(parts[2]) * 1000;
    const ageMs = this.clock.now().getTime() - issuedMs;
    if (!Number.isFinite(issuedMs) || ageMs < 0 || ageMs >= this.options.loginLimits.deviceCookieMaxAgeMs) {
      return null;
    }
    return `device:${sha256Hex(body)}`;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body, 'utf8').digest('base64url');
  }
}
