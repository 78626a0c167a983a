// A local SMTP server in its own process (so parsing mails does not share the event loop of the
// server under test): `node smtp-sink.js <stallMs>`. Answers {count} to any message.
import { TestSmtpServer } from '../../test/support/smtp';
import { ready } from './child';

async function main(): Promise<void> {
  const smtp = new TestSmtpServer();
  smtp.stallMs = Number(process.argv[2] ?? 0);
  await smtp.start();
  process.on('message', () => process.send?.({ count: smtp.received.length }));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void smtp.stop().finally(() => process.exit(0)));
  ready({ url: smtp.url });
}

void main();
