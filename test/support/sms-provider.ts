import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** An SMS the test provider accepted. */
export interface ReceivedSms {
  to: string;
  text: string;
}

/**
 * A local HTTP server acting as the SMS provider behind `SMS_WEBHOOK_URL`: it accepts
 * `POST /send` with JSON `{to, text}` and answers 200, or the statuses queued in `failWith`.
 */
export class TestSmsProvider {
  readonly received: ReceivedSms[] = [];
  /** Statuses to answer to the next requests, in order (each used once). */
  readonly failWith: number[] = [];
  /** Every request, failed ones included. */
  requests = 0;
  private server?: Server;
  private waiters: { predicate: (m: ReceivedSms) => boolean; resolve: (m: ReceivedSms) => void }[] = [];
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/send`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  messagesTo(number: string): ReceivedSms[] {
    return this.received.filter((m) => m.to === number);
  }

  /** Resolves with the first received (or next) SMS matching. */
  waitFor(predicate: (m: ReceivedSms) => boolean, timeoutMs = 10_000): Promise<ReceivedSms> {
    const existing = this.received.find(predicate);
    if (existing) {
      return Promise.resolve(existing);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching SMS arrived')), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (sms) => {
          clearTimeout(timer);
          resolve(sms);
        },
      });
    });
  }

  /** The `index`-th SMS (0 first) to `number`, received already or still to come. */
  nth(number: string, index = 0, timeoutMs = 10_000): Promise<ReceivedSms> {
    return this.waitFor((m) => m.to === number && this.messagesTo(number).indexOf(m) === index, timeoutMs);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests++;
      const status = this.failWith.shift();
      if (status !== undefined) {
        response.writeHead(status, { 'Content-Type': 'application/json' }).end('{"error":"test failure"}');
        return;
      }
      let sms: ReceivedSms;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<ReceivedSms>;
        if (request.method !== 'POST' || request.headers['content-type'] !== 'application/json' || typeof body.to !== 'string' || typeof body.text !== 'string') {
          throw new Error('bad request');
        }
        sms = { to: body.to, text: body.text };
      } catch {
        response.writeHead(400).end();
        return;
      }
      this.received.push(sms);
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.predicate(sms)) {
          waiter.resolve(sms);
          return false;
        }
        return true;
      });
    });
  }
}

/** The 6-digit code in an SMS. */
export function codeInSms(sms: ReceivedSms): string {
  const match = /\b(\d{6})\b/.exec(sms.text);
  if (!match) {
    throw new Error(`no code in SMS "${sms.text}"`);
  }
  return match[1]!;
}
