import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How a login attempt failed (never the name that was typed). */
export type LoginFailureReason = 'bad-credentials' | 'disabled' | 'rate-limited' | 'malformed';

/** How a code or link check ended. */
export type VerificationOutcome = 'success' | 'invalid' | 'attempts-exceeded' | 'rate-limited' | 'error';

/** How a request for a code or link ended. */
export type IssueOutcome = 'issued' | 'suppressed' | 'rate-limited';

/** What happened to one outbox delivery attempt. */
export type DeliveryResult = 'sent' | 'retried' | 'failed';

/** Numbers read when Prometheus scrapes (queue depth, pool use), each optional. */
export interface ScrapeTimeSource {
  collect(metrics: ConsoleUsersMetrics): Promise<void>;
}

/**
 * The library's Prometheus metrics, in a registry of their own (never prom-client's global one, so
 * two applications in one process, or a host's own metrics, do not mix). Counters live in memory
 * and cost nothing when nobody scrapes; whether and where they are exposed is the host's choice.
 *
 * Names follow Prometheus conventions; the HTTP histogram keeps Spring's (Halo's) name
 * `http_server_requests_seconds`. Labels never carry a user, an address or a raw URL: `uri` is the
 * route pattern, so their number stays bounded.
 */
export class ConsoleUsersMetrics {
  /** The registry to expose (`await registry.metrics()`, content type `registry.contentType`). */
  readonly registry = new Registry();
  private readonly sources: ScrapeTimeSource[] = [];

  readonly httpRequests = new Histogram({
    name: 'http_server_requests_seconds',
    help: 'HTTP requests by method, route pattern (uri), status and face, with their duration',
    labelNames: ['method', 'uri', 'status', 'face'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly loginFailures = new Counter({
    name: 'console_users_login_failures_total',
    help: 'Failed logins (form, JSON and HTTP Basic) by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRefusals = new Counter({
    name: 'console_users_rate_limit_refusals_total',
    help: 'Requests refused with 429 by the limit that refused them',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly codesIssued = new Counter({
    name: 'console_users_codes_issued_total',
    help: 'Verification codes and links by purpose, channel, kind (code or link) and outcome: issued (committed), suppressed (an unknown address on a public route: nothing is sent) or rate-limited',
    labelNames: ['purpose', 'channel', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly codeVerifications = new Counter({
    name: 'console_users_code_verifications_total',
    help: 'Checks of verification codes and links by purpose and outcome',
    labelNames: ['purpose', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'console_users_outbox_deliveries_total',
    help: 'Outbox delivery attempts by channel and result (sent, retried later, failed for good)',
    labelNames: ['channel', 'result'] as const,
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'console_users_outbox_pending',
    help: 'Outbox messages waiting for delivery (pending or being delivered), by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly outboxOldestPendingAge = new Gauge({
    name: 'console_users_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest message still waiting for delivery, by channel (0 when none waits)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly dbPool = new Gauge({
    name: 'console_users_db_pool_connections',
    help: 'Database connection pool: connections in use, idle, the maximum, and callers waiting for one (PostgreSQL)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly passwordHashingRefusals = new Counter({
    name: 'console_users_password_hashing_refusals_total',
    help: 'Password hashes and checks refused with 503 because the hashing queue was full (logins, password changes, registrations)',
    registers: [this.registry],
  });

  readonly passwordHashingLoad = new Gauge({
    name: 'console_users_password_hashing_operations',
    help: 'Password hashes and checks running and waiting for a turn, at scrape time',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly scrapeErrors = new Counter({
    name: 'console_users_metrics_scrape_errors_total',
    help: 'Scrape-time readings that failed (the database did not answer); those gauges keep their last value',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  private processMetrics: boolean;

  constructor(options: { processMetrics?: boolean } = {}) {
    this.processMetrics = options.processMetrics !== false;
  }

  /** Adds a reading made at scrape time (the library adds the outbox and the pool). */
  addSource(source: ScrapeTimeSource): void {
    this.sources.push(source);
  }

  /** The exposition text: scrape-time readings first, then every metric. */
  async render(): Promise<string> {
    if (this.processMetrics) {
      // CPU, memory, event loop lag, GC, handles: prom-client's standard process metrics. Started
      // on the first scrape, so an application that never exposes metrics runs no monitors.
      collectDefaultMetrics({ register: this.registry });
      this.processMetrics = false;
    }
    await Promise.all(this.sources.map((source) => source.collect(this)));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  loginFailed(reason: LoginFailureReason): void {
    this.loginFailures.inc({ reason });
  }

  rateLimited(limit: string): void {
    this.rateLimitRefusals.inc({ limit });
  }

  codeIssued(purpose: string, channel: string, kind: string, outcome: IssueOutcome): void {
    this.codesIssued.inc({ purpose, channel, kind, outcome });
  }

  codeChecked(purpose: string, outcome: VerificationOutcome): void {
    this.codeVerifications.inc({ purpose, outcome });
  }

  delivered(channel: string, result: DeliveryResult): void {
    this.deliveries.inc({ channel, result });
  }
}
