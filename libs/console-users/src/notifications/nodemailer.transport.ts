import { Logger } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import { HtmlTemplates } from './html-templates';
import type { MailTransport, OutgoingMail } from './mail-transport';
import { composeMime } from './mime-message';

/**
 * The default {@link MailTransport}: nodemailer over SMTP, or, without SMTP settings, a
 * development mailbox that writes each mail as an `.eml` file plus a decoded `.txt` beside it,
 * and logs where (never the content). The HTML part is rendered here with our own Handlebars
 * instance and the message is written by {@link composeMime} when the addresses are plain ones;
 * nodemailer sends (and composes only what that leaves to it).
 */
export class NodemailerTransport implements MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly transportSetting: string | Record<string, unknown>;
  private transporter?: Transporter;
  private readonly html: HtmlTemplates;
  private readonly devMailboxDir?: string;
  /**
   * Whether mails go out as the MIME text {@link composeMime} writes. Not for nodemailer's JSON
   * transport, whose whole point is the structured fields (a host's test setup reads them).
   */
  private readonly composesOwnMime: boolean;

  constructor(settings: { transport?: string | Record<string, unknown>; templateDirs: string[]; devMailboxDir: string }) {
    this.devMailboxDir = settings.transport ? undefined : settings.devMailboxDir;
    const transport = settings.transport ?? { streamTransport: true, buffer: true, newline: 'unix' };
    this.transportSetting = typeof transport === 'string' ? withTimeouts(transport) : transport;
    this.composesOwnMime = typeof transport === 'string' || !transport.jsonTransport;
    this.html = new HtmlTemplates(settings.templateDirs);
  }

  /** Closes pooled SMTP connections (the worker calls this on shutdown). */
  async close(): Promise<void> {
    this.transporter?.close();
  }

  /**
   * nodemailer is loaded and its transport made on the first mail: a server that sends none
   * does not hold it (≈ 2 MB of heap).
   */
  private mailer(): Transporter {
    return (this.transporter ??= (require('nodemailer') as typeof import('nodemailer')).createTransport(this.transportSetting as never));
  }

  async send(mail: OutgoingMail): Promise<void> {
    const html = this.html.render(mail.htmlTemplate, mail.context);
    const headers = { 'Auto-Submitted': 'auto-generated' };
    // Our own MIME text for the common case (plain addresses); nodemailer's composer for the rest.
    const composed = this.composesOwnMime
      ? composeMime({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html, messageId: mail.messageId, date: new Date(), headers })
      : undefined;
    const info = (await this.mailer().sendMail(
      composed ?? { from: mail.from, to: { name: '', address: mail.to }, subject: mail.subject, text: mail.text, html, messageId: mail.messageId, headers },
    )) as { message?: Buffer };
    if (this.devMailboxDir && info.message) {
      mkdirSync(this.devMailboxDir, { recursive: true });
      const base = join(this.devMailboxDir, `${Date.now()}-${mail.messageId.replace(/[^A-Za-z0-9.-]/g, '_')}`);
      writeFileSync(`${base}.eml`, info.message, { mode: 0o600 });
      // The .eml may be base64 (any non-ASCII text) or quoted-printable: a person copies from the .txt.
      writeFileSync(`${base}.txt`, readableMail(mail), { mode: 0o600 });
      this.logger.log(`Dev mailbox: "${mail.template}" mail to ${mail.to} saved as ${base}.eml (readable: ${base}.txt)`);
    }
  }
}

/** The mail as plain UTF-8 text: headers a person needs, then the text part exactly as rendered. */
export function readableMail(mail: OutgoingMail): string {
  return [`From: ${mail.from}`, `To: ${mail.to}`, `Subject: ${mail.subject}`, `Template: ${mail.template}`, '', mail.text.replace(/\r\n/g, '\n')]
    .join('\n')
    .replace(/\n*$/, '\n');
}

/**
 * Adds the worker's defaults to an SMTP URL unless it sets its own: timeouts of 10 s, and a pool
 * of up to 5 connections each reused for 100 mails (a new connection per mail made the TCP and
 * EHLO round trips the bottleneck of outbox throughput).
 */
function withTimeouts(url: string): string {
  const parsed = new URL(url);
  for (const [key, value] of [
    ['connectionTimeout', '10000'],
    ['greetingTimeout', '10000'],
    ['socketTimeout', '10000'],
    ['pool', 'true'],
    ['maxConnections', '5'],
    ['maxMessages', '100'],
  ] as const) {
    if (!parsed.searchParams.has(key)) {
      parsed.searchParams.set(key, value);
    }
  }
  return parsed.toString();
}
