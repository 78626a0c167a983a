import { DependencyUnavailableError } from '../console-users';

/** What the breaker reports when it opens or closes (the server logs it, once per change). */
export interface CircuitListener {
  opened(reason: string): void;
  closed(downForMs: number): void;
}

/**
 * A circuit breaker for one dependency. Closed: every call goes through. After a failure that
 * means "unreachable" it opens: calls are refused at once (no pool slot, no timeout to wait
 * for) with the seconds left as `Retry-After`. When the open period is over, exactly one call
 * goes through as a probe; success closes the circuit, failure opens it again. Calls that are
 * already running are never interrupted by it.
 */
export class CircuitBreaker {
  private openUntil = 0;
  private downSince = 0;
  private probeStartedAt = 0;

  constructor(
    private readonly dependency: string,
    private readonly openMs: number,
    /** A probe that has not reported after this long no longer blocks the next one. */
    private readonly probeTimeoutMs: number,
    private readonly listener: CircuitListener,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while calls are refused. */
  get isOpen(): boolean {
    return this.downSince !== 0;
  }

  /**
   * The error to refuse a call with, or undefined when the call may go ahead (closed, or the
   * one probe of a half-open circuit).
   */
  refusal(): DependencyUnavailableError | undefined {
    if (this.downSince === 0) {
      return undefined;
    }
    const now = this.now();
    if (now < this.openUntil) {
      return this.error((this.openUntil - now) / 1000);
    }
    if (this.probeStartedAt !== 0 && now - this.probeStartedAt < this.probeTimeoutMs) {
      return this.error(1); // a probe is out: its answer decides within a second or two
    }
    this.probeStartedAt = now;
    return undefined;
  }

  /** A call reached the dependency and got an answer. */
  succeeded(): void {
    if (this.downSince === 0) {
      return;
    }
    const downFor = this.now() - this.downSince;
    this.downSince = 0;
    this.openUntil = 0;
    this.probeStartedAt = 0;
    this.listener.closed(downFor);
  }

  /** A call failed because the dependency could not be reached (or did not answer in time). */
  failed(reason: string): void {
    const now = this.now();
    this.openUntil = now + this.openMs;
    this.probeStartedAt = 0;
    if (this.downSince === 0) {
      this.downSince = now;
      this.listener.opened(reason);
    }
  }

  private error(seconds: number): DependencyUnavailableError {
    return new DependencyUnavailableError(this.dependency, `${this.dependency} unavailable (circuit open)`, Math.max(1, Math.ceil(seconds)));
  }
}
