import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type Handlebars from 'handlebars';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { lazyHandlebarsEngine } from './handlebars-engine';
import { findTemplate, LIBRARY_TEMPLATES_DIR } from './template-dirs';

/** The parts of a message rendered outside the mail transport. */
export interface RenderedTexts {
  subject: string;
  text: string;
  /** Absolute path of the HTML template, rendered by the mail transport. */
  htmlTemplate: string;
}

/**
 * Renders subjects, plain-text bodies and SMS texts with Handlebars from
 * `<locale>/<template>.{subject,text,sms}.hbs`; the HTML part (`.html.hbs`) is rendered, with
 * HTML escaping, by the mailer. Subjects lose line breaks so no header can be injected.
 */
@Injectable()
export class TemplateRenderer {
  private readonly engine = lazyHandlebarsEngine();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();
  /** Found files by `<locale>/<file>`: the directories are searched once per template, not on every mail. */
  private readonly found = new Map<string, string>();
  private readonly dirs: string[];

  constructor(@Inject(CONSOLE_USERS_OPTIONS) options: ResolvedConsoleUsersOptions) {
    this.dirs = [...(options.mail.templatesDir ? [options.mail.templatesDir] : []), LIBRARY_TEMPLATES_DIR];
  }

  /** Directories searched, host first. */
  get templateDirs(): string[] {
    return [...this.dirs];
  }

  renderMail(template: string, locale: string, variables: Record<string, unknown>): RenderedTexts {
    const htmlTemplate = this.path(template, locale, 'html');
    return {
      subject: this.render(template, locale, 'subject', variables).replace(/[\r\n]+/g, ' ').trim(),
      text: this.render(template, locale, 'text', variables),
      htmlTemplate,
    };
  }

  renderSms(template: string, locale: string, variables: Record<string, unknown>): string {
    return this.render(template, locale, 'sms', variables).trim();
  }

  /** Throws when a template has a syntax error; used to validate host-supplied templates. */
  compileCheck(source: string): void {
    this.engine().precompile(source);
  }

  private render(template: string, locale: string, part: string, variables: Record<string, unknown>): string {
    const path = this.path(template, locale, part);
    let compiled = this.cache.get(path);
    if (!compiled) {
      // Subjects, text bodies and SMS are not HTML: no entity escaping in them.
      compiled = this.engine().compile(readFileSync(path, 'utf8'), { noEscape: true });
      this.cache.set(path, compiled);
    }
    return compiled(variables);
  }

  private path(template: string, locale: string, part: string): string {
    const key = `${locale}/${template}.${part}.hbs`;
    let file = this.found.get(key);
    if (!file) {
      file = findTemplate(this.dirs, locale, `${template}.${part}.hbs`);
      if (!file) {
        throw new Error(`missing template ${key}`);
      }
      this.found.set(key, file);
    }
    return file;
  }
}
