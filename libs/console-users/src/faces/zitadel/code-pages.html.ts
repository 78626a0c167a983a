import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { ConsoleResponse, setHeader, setStatus } from '../../http/http-types';
import { logUnexpectedError } from '../unexpected-error';

/** A rendered page and its status. */
export interface HtmlPage {
  status: number;
  html: string;
}

/**
 * Headers of every code page: the URL carries a code, so nothing may be cached, framed or
 * leaked through a Referer; the page loads nothing from anywhere.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** Writes a page with {@link PAGE_HEADERS}. */
export function sendPage(response: ConsoleResponse, page: HtmlPage): string {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) {
    setHeader(response, name, value);
  }
  setStatus(response, page.status);
  return page.html;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#222}
input{display:block;width:100%;padding:.5rem;margin:.25rem 0 1rem;box-sizing:border-box}
button{padding:.5rem 1rem}.error{color:#b00020}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

/** A page with one message. */
export function messagePage(status: number, title: string, message: string): HtmlPage {
  return { status, html: layout(title, `<p${status >= 400 ? ' class="error"' : ''}>${escapeHtml(message)}</p>`) };
}

/**
 * The consent step of an email link: opening the link changes nothing (mail scanners open
 * links too); the button does.
 */
export function confirmEmailPage(user: string, code: string): HtmlPage {
  return {
    status: 200,
    html: layout(
      'Confirm your email address',
      `<form method="post" action="verify-email">${hidden('user', user)}${hidden('code', code)}
<p>Press the button to confirm that this email address belongs to you.</p>
<button type="submit">Confirm email address</button></form>`,
    ),
  };
}

/** The form of a reset link; `error` is shown above it after a rejected attempt. */
export function resetPasswordPage(user: string, code: string, error?: string): HtmlPage {
  return {
    status: error ? 400 : 200,
    html: layout(
      'Choose a new password',
      `${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}<form method="post" action="reset-password">${hidden('user', user)}${hidden('code', code)}
<label>New password<input type="password" name="password" autocomplete="new-password" minlength="8" maxlength="128" required></label>
<label>Repeat it<input type="password" name="confirm" autocomplete="new-password" minlength="8" maxlength="128" required></label>
<button type="submit">Set password</button></form>`,
    ),
  };
}

/** A link that lacks its parameters. */
export const INCOMPLETE_LINK = (): HtmlPage =>
  messagePage(400, 'Incomplete link', 'This link is incomplete. Open the full link from the message, or ask for a new code.');

/** The page for a failure of a code page's action. */
export function failurePage(error: unknown): HtmlPage {
  if (error instanceof DomainError) {
    switch (error.code) {
      case ErrorCode.RateLimited:
        return messagePage(429, 'Too many attempts', 'Too many attempts from here. Please wait a minute and try again.');
      case ErrorCode.VerificationAttemptsExceeded:
        return messagePage(400, 'Code used up', 'This code was tried too often and no longer works. Please ask for a new one.');
      case ErrorCode.PayloadTooLarge:
      case ErrorCode.UnsupportedMediaType:
      case ErrorCode.BadRequest:
        return messagePage(400, 'Bad request', 'The form could not be read. Please open the link from the message again.');
      case ErrorCode.Conflict:
        return messagePage(409, 'Address in use', 'Another account has already verified this email address.');
      default:
        return messagePage(400, 'Link not valid', 'This link is invalid, expired or already used. Please ask for a new code.');
    }
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    return messagePage(error.getStatus(), 'Bad request', 'The request could not be handled.');
  }
  return messagePage(500, 'Something went wrong', 'Something went wrong, please try again later.');
}

/** Renders errors raised before a page handler runs (throttling, body rules) as a page. */
@Catch()
export class CodePageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('CodePages');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof DomainError) && !(exception instanceof HttpException)) {
      logUnexpectedError(this.logger, exception, host.switchToHttp().getRequest<{ id?: unknown }>());
    }
    const response = host.switchToHttp().getResponse<ConsoleResponse>();
    const page = failurePage(exception);
    if (exception instanceof DomainError && exception.options.retryAfterSeconds !== undefined) {
      setHeader(response, 'Retry-After', String(exception.options.retryAfterSeconds));
    }
    const html = sendPage(response, page);
    const r = response as unknown as { send?: (b: string) => unknown; end?: (b: string) => unknown };
    if (typeof r.send === 'function') {
      r.send(html);
    } else {
      r.end?.(html);
    }
  }
}
