/**
 * Port: one more component of `/actuator/health` and `/actuator/health/readiness` (the server
 * adds Redis through it). `check` resolves when the component works and rejects when it does
 * not; the health endpoint gives it at most {@link HEALTH_CHECK_TIMEOUT_MS}.
 */
export interface HealthIndicator {
  /** The component's key in `components` (`redis`). */
  readonly name: string;
  check(): Promise<void>;
}

/** Each check's time limit: every health answer comes within 2 s, whatever hangs. */
export const HEALTH_CHECK_TIMEOUT_MS = 1_500;
