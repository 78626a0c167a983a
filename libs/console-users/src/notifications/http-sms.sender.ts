import type { SmsSender } from './sms-sender';

/** Options of {@link HttpSmsSender}. */
export interface HttpSmsSenderOptions {
  /** Give up on a request after this many ms (default 10 s); the outbox retries it. */
  timeoutMs?: number;
  /** Extra request headers, e.g. an API key the provider wants. */
  headers?: Record<string, string>;
}

/**
 * An {@link SmsSender} for any HTTP gateway: `POST <url>` with JSON `{"to": "+E164", "text": "…"}`.
 * A non-2xx answer throws an error carrying `status`, so the outbox worker retries 5xx, 408 and
 * 429 and gives up on other 4xx; network errors and timeouts are retried too. Neither the text
 * nor the provider's answer body goes into the error (it may echo the code).
 */
export class HttpSmsSender implements SmsSender {
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    private readonly options: HttpSmsSenderOptions = {},
  ) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error('HttpSmsSender: the URL must use http or https');
    }
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(to: string, text: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...this.options.headers },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const name = (error as { name?: unknown })?.name;
      throw Object.assign(new Error(name === 'TimeoutError' ? 'SMS provider timed out' : 'SMS provider unreachable'), {
        code: name === 'TimeoutError' ? 'ETIMEDOUT' : 'ECONNECTION',
      });
    }
    // Drain the body so the connection is reused; its content is never looked at.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      throw Object.assign(new Error(`SMS provider answered HTTP ${response.status}`), { status: response.status });
    }
  }
}
