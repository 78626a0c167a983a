import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ConsoleRequest, ConsoleResponse, headerValue, setHeader, setStatus } from '../http/http-types';
import { isCrossOrigin } from '../http/request-origin';
import { resolveLocale, SupportedLocale } from '../notifications/template-dirs';
import type { RenderedPage } from './recovery-page.renderer';

/** A single string field of a query or form body; repeated or non-string values count as absent. */
export function field(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The page language: `?lang=` or the form's `lang`, then Accept-Language; English otherwise. */
export function pageLocale(request: ConsoleRequest): SupportedLocale {
  const explicit = field(request.query, 'lang') ?? field(request.body, 'lang');
  return resolveLocale(explicit ?? null, headerValue(request, 'accept-language') ?? null);
}

/**
 * Refuses form posts a browser marks as coming from another site. The tokens are the real
 * capability (a forged post needs one), this only stops a page elsewhere from driving a
 * victim's browser through the flow ({@link isCrossOrigin}: `Origin: null` is accepted, as browsers
 * send it for our own pages because they set `Referrer-Policy: no-referrer`).
 */
export function assertSameOrigin(request: ConsoleRequest, publicUrl: string): void {
  if (isCrossOrigin(request, new URL(publicUrl).origin)) {
    throw new DomainError(ErrorCode.Forbidden, 'Cross-site form submission refused.');
  }
}

/** Sends a rendered page on Express or Fastify. */
export function sendPage(response: ConsoleResponse, page: RenderedPage): void {
  for (const [name, value] of Object.entries(page.headers)) {
    setHeader(response, name, value);
  }
  setStatus(response, page.status);
  const r = response as unknown as { send?: (b: string) => unknown; end?: (b: string) => unknown };
  if (typeof r.send === 'function') {
    r.send(page.html);
  } else {
    r.end?.(page.html);
  }
}
