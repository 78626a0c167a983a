import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail the test SMTP server accepted. */
export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  raw: string;
  /** Envelope recipients (RCPT TO), whatever the headers say. */
  rcptTo: string[];
}

/**
 * A real SMTP server on loopback (`smtp-server`), collecting parsed mails. It can be stopped and
 * started again on the same port (outage tests), and can stall every message (benchmarks).
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;
  private waiters: { predicate: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  port = 0;
  /** Milliseconds to hold each message before accepting it. */
  stallMs = 0;
  /** When set, every RCPT is answered with this SMTP error code. */
  rejectWith?: number;
  /** When set, every message is read in full and then refused with this code (a transient 4xx after DATA). */
  rejectDataWith?: number;
  /** Messages read in full but refused through {@link rejectDataWith}. */
  readonly refused: ReceivedMail[] = [];
  /** Errors of client connections (resets by a client that died mid-session). */
  readonly connectionErrors: Error[] = [];

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // stop() is an outage: drop idle (pooled) client connections at once instead of waiting for them.
      closeTimeout: 100,
      onRcptTo: (_address, _session, callback) => {
        if (this.rejectWith) {
          const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: this.rejectWith });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        const rcptTo = session.envelope.rcptTo.map((a) => a.address);
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const refuseWith = this.rejectDataWith;
          setTimeout(() => {
            simpleParser(raw)
              .then((parsed) => {
                if (refuseWith) {
                  this.refused.push(toMail(parsed, raw.toString('utf8'), rcptTo));
                  throw Object.assign(new Error('Try again later'), { responseCode: refuseWith });
                }
                this.accept(parsed, raw.toString('utf8'), rcptTo);
              })
              .then(() => callback(), callback);
          }, this.stallMs);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    // smtp-server re-emits every client connection's error on the server. A client that dies
    // mid-session (the kill -9 scenario) resets its sockets: that is the client's fault, recorded,
    // not an unhandled 'error' event that would fail the whole test file.
    this.server.on('error', (error) => this.connectionErrors.push(error));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Mails sent to `address` so far. */
  mailsTo(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.toLowerCase() === address.toLowerCase());
  }

  /** Resolves with the next (or an already received, not yet awaited) mail matching. */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const existing = this.received.find(predicate);
    if (existing) {
      return Promise.resolve(existing);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching mail arrived')), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (mail) => {
          clearTimeout(timer);
          resolve(mail);
        },
      });
    });
  }

  /** Waits for the next mail to `address` after `count` were already received for it. */
  nextMailTo(address: string, timeoutMs = 10_000): Promise<ReceivedMail> {
    const before = this.mailsTo(address).length;
    return this.waitFor((m) => m.to.toLowerCase() === address.toLowerCase() && this.mailsTo(address).indexOf(m) >= before, timeoutMs);
  }

  private accept(parsed: ParsedMail, raw: string, rcptTo: string[]): void {
    const mail = toMail(parsed, raw, rcptTo);
    this.received.push(mail);
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.predicate(mail)) {
        waiter.resolve(mail);
        return false;
      }
      return true;
    });
  }
}

function toMail(parsed: ParsedMail, raw: string, rcptTo: string[]): ReceivedMail {
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
  return {
    to: to?.value[0]?.address ?? '',
    from: parsed.from?.value[0]?.address ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    messageId: parsed.messageId ?? '',
    raw,
    rcptTo,
  };
}

/** The header block of a raw message, one entry per header (folded lines joined). */
export function rawHeaders(raw: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  return head.split(/\r?\n(?![ \t])/);
}

/** The 6-digit code in a mail's text. */
export function codeIn(mail: ReceivedMail): string {
  const match = /\b(\d{6})\b/.exec(mail.text);
  if (!match) {
    throw new Error(`no code in mail "${mail.subject}"`);
  }
  return match[1]!;
}
