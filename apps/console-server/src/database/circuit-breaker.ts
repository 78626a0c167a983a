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
  /** When the circuit last closed: a failure of a call sent before then is about the old outage. */
  private closedAt = 0;

  constructor(
    private readonly dependency: string,
    private readonly openMs: number,
    /** A probe that has not reported after this long no longer blocks the next one. */
    private readonly probeTimeoutMs: number,
    private readonly listener: CircuitListener,
    /**
     * By default a clock that only moves forward (the process's start plus its uptime, so never 0,
     * which the fields above use for "not set"): a step of the system time back would otherwise
     * hold the circuit open, every query refused, for the length of the step.
     */
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
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

  /** The time to pass as `startedAt` when a call is sent. */
  callStarts(): number {
    return this.now();
  }

  /**
   * A call reached the dependency and got an answer. Only a call sent after the circuit opened
   * can close it: a query already running when the database went away may still finish, and
   * that says nothing about now (it would flap the circuit, and the log, closed and open again).
   */
  succeeded(startedAt: number = this.now()): void {
    if (this.downSince === 0 || startedAt <= this.downSince) {
      return;
    }
    const now = this.now();
    const downFor = now - this.downSince;
    this.downSince = 0;
    this.openUntil = 0;
    this.probeStartedAt = 0;
    this.closedAt = now;
    this.listener.closed(downFor);
  }

  /**
   * A call failed because the dependency could not be reached (or did not answer in time). A
   * call sent while it was still down and failing only after it came back (a connection attempt
   * timing out late) does not open the circuit again.
   */
  failed(reason: string, startedAt: number = this.now()): void {
    if (this.downSince === 0 && startedAt < this.closedAt) {
      return;
    }
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
