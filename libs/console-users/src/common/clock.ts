/**
 * Port for reading the current time. Expiry, cooldowns and windows read it, so tests can move
 * time instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

/** Injection token for the {@link Clock} port. */
export const CONSOLE_USERS_CLOCK = Symbol('console-users:clock');

/** The default clock: the system time. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until moved; for tests and benchmarks. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }

  set(to: Date): void {
    this.current = to.getTime();
  }
}
