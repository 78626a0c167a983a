import { ErrorCode } from './error-code';

/** Options of a {@link DomainError}. */
export interface DomainErrorOptions {
  /** Seconds until a retry may succeed (rate limits). */
  retryAfterSeconds?: number;
  /** A face-specific title override (Halo titles such as "Duplicate Name Error"). */
  title?: string;
  /** A face-specific problem type URI override. */
  type?: string;
  /**
   * A machine-readable refinement of the code (`missing`, `email`, `phone`, `password`, …) for
   * faces whose wire format is finer than our codes (Fresns has one code per field). Never a secret.
   */
  reason?: string;
  /**
   * Messages per request field, for faces that report field errors separately (authentik's
   * `{"field": ["…"]}`); faces without such a shape use the message.
   */
  fields?: Record<string, string[]>;
}

/**
 * A failure the core reports on purpose. The message is safe to show to the caller: it never
 * contains a secret. Faces translate it through their error filter.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
