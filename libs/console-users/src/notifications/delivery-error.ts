/** How a delivery failure should be handled. */
export type FailureKind = 'permanent' | 'transient';

const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Tells permanent failures (SMTP 5xx, a rejected envelope, HTTP 4xx from an SMS provider other
 * than 408/429) from transient ones (4xx SMTP replies, timeouts, refused connections, 5xx HTTP).
 */
export function classifyFailure(error: unknown): FailureKind {
  const e = error as { responseCode?: unknown; code?: unknown; status?: unknown };
  if (typeof e?.responseCode === 'number') {
    return e.responseCode >= 500 ? 'permanent' : 'transient';
  }
  if (typeof e?.status === 'number') {
    return e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429 ? 'permanent' : 'transient';
  }
  if (typeof e?.code === 'string' && PERMANENT_CODES.has(e.code)) {
    return 'permanent';
  }
  return 'transient';
}

/** A short, content-free description of a failure for the outbox row and the logs. */
export function describeFailure(error: unknown): string {
  const e = error as { responseCode?: unknown; code?: unknown; status?: unknown; message?: unknown };
  const parts: string[] = [];
  if (typeof e?.code === 'string') {
    parts.push(e.code);
  }
  if (typeof e?.responseCode === 'number') {
    parts.push(`SMTP ${e.responseCode}`);
  }
  if (typeof e?.status === 'number') {
    parts.push(`HTTP ${e.status}`);
  }
  // The first line of an SMTP reply or socket error; mail bodies never reach error messages.
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0]!.slice(0, 200) : String(error).slice(0, 200);
  parts.push(message);
  return parts.join(': ');
}
