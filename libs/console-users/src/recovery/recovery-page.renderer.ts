import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { consoleUiUrl } from '../console-ui/console-ui';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { lazyHandlebarsEngine } from '../notifications/handlebars-engine';
import { SUPPORTED_LOCALES, SupportedLocale } from '../notifications/template-dirs';
import type { RecoveryPage } from './recovery-page';
import { utc } from './recovery.service';

/** The library's page templates, next to this file in the build output. */
const PAGES_DIR = join(__dirname, 'templates', 'pages');

/** A page ready to send. */
export interface RenderedPage {
  status: number;
  headers: Record<string, string>;
  html: string;
}

type Messages = Record<string, Handlebars.TemplateDelegate>;

interface CompiledPages {
  layout: Handlebars.TemplateDelegate;
  bodies: Record<RecoveryPage['kind'], Handlebars.TemplateDelegate>;
  messages: Record<SupportedLocale, Messages>;
}

/**
 * Renders the recovery pages: server-side HTML that needs no JavaScript, in English or Chinese.
 * Every page forbids caching and referrers (the URL carries a secret) and carries a CSP that
 * allows no script at all, only our one inline stylesheet (by hash) and form posts to ourselves.
 */
@Injectable()
export class RecoveryPageRenderer {
  private readonly engine = lazyHandlebarsEngine();
  private compiled?: CompiledPages;
  private readonly css: string;
  private readonly csp: string;

  constructor(@Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions) {
    this.css = readFileSync(join(PAGES_DIR, 'page.css'), 'utf8').trim();
    const styleHash = createHash('sha256').update(this.css, 'utf8').digest('base64');
    this.csp = [
      "default-src 'none'",
      `style-src 'sha256-${styleHash}'`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; ');
  }

  /** The templates and messages, compiled on the first page (so Handlebars loads only then). */
  private pages(): CompiledPages {
    if (this.compiled) {
      return this.compiled;
    }
    const engine = this.engine();
    const load = (name: string) => engine.compile(readFileSync(join(PAGES_DIR, name), 'utf8'), { strict: false });
    const messages = Object.fromEntries(
      SUPPORTED_LOCALES.map((locale) => {
        const raw = JSON.parse(readFileSync(join(PAGES_DIR, 'messages', `${locale}.json`), 'utf8')) as Record<string, string>;
        // Message texts are plain text here; the page templates escape them once when placed.
        return [locale, Object.fromEntries(Object.entries(raw).map(([key, text]) => [key, engine.compile(text, { noEscape: true })]))];
      }),
    ) as Record<SupportedLocale, Messages>;
    this.compiled = {
      layout: load('layout.html.hbs'),
      bodies: { consent: load('consent.html.hbs'), password: load('password.html.hbs'), done: load('done.html.hbs'), message: load('message.html.hbs') },
      messages,
    };
    return this.compiled;
  }

  render(page: RecoveryPage, locale: SupportedLocale): RenderedPage {
    const { layout, bodies, messages } = this.pages();
    const vars: Record<string, unknown> = {
      username: 'username' in page ? page.username : '',
      expiresAt: page.kind === 'consent' ? utc(page.expiresAt) : '',
    };
    const t = (key: string) => (messages[locale][key] ?? messages.en[key])?.(vars) ?? key;
    const all = Object.fromEntries(Object.keys(messages.en).map((key) => [key, t(key)]));
    const title =
      page.kind === 'message' ? t(`${page.message}Title`) : page.kind === 'consent' ? t('consentTitle') : page.kind === 'password' ? t('passwordTitle') : t('doneTitle');
    const body = bodies[page.kind]({
      t: all,
      lang: locale,
      token: 'token' in page ? page.token : '',
      username: vars.username,
      problem: page.kind === 'password' && page.problem ? t(page.problem) : undefined,
      text: page.kind === 'message' ? t(`${page.message}Text`) : undefined,
      homeUrl: consoleUiUrl(this.options.publicUrl),
    });
    const html = layout({ lang: locale, title, css: this.css, body });
    const headers: Record<string, string> = {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Language': locale,
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': this.csp,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
    };
    if (page.kind === 'message' && page.retryAfterSeconds !== undefined) {
      headers['Retry-After'] = String(page.retryAfterSeconds);
    }
    return { status: page.status, headers, html };
  }
}
