import type { LoggerService } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';

/** How long the boot-time SMTP check may take; the server is already listening meanwhile. */
const SMTP_CHECK_TIMEOUT_MS = 5_000;

/**
 * Says at boot what will happen to mail: an unreachable or refusing SMTP server is one warning
 * naming SMTP_URL (the server still starts; mail waits in the outbox), an unset SMTP_URL in
 * production is one warning too (mail only lands in the dev mailbox). Never blocks the boot.
 */
export async function reportMailSetup(config: AppConfig, logger: LoggerService): Promise<void> {
  if (!config.smtpUrl) {
    const where = `${config.dataDir}/mail`;
    if (config.nodeEnv === 'production') {
      logger.warn(`SMTP_URL is not set: mails are only saved in the dev mailbox (${where}) and reach nobody`);
    } else {
      logger.log(`SMTP_URL is not set: mails are saved in the dev mailbox (${where})`);
    }
    return;
  }
  const url = new URL(config.smtpUrl);
  const where = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
  // Loaded here, not at the top: without SMTP_URL the server never needs nodemailer at boot.
  const { createTransport } = require('nodemailer') as typeof import('nodemailer');
  const transport = createTransport({
    url: config.smtpUrl,
    connectionTimeout: SMTP_CHECK_TIMEOUT_MS,
    greetingTimeout: SMTP_CHECK_TIMEOUT_MS,
    socketTimeout: SMTP_CHECK_TIMEOUT_MS,
  } as never);
  try {
    await transport.verify();
    logger.log(`SMTP server at ${where} answers`);
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    const reason = [typeof e.code === 'string' ? e.code : undefined, typeof e.message === 'string' ? e.message.split('\n')[0] : undefined]
      .filter(Boolean)
      .join(': ');
    logger.warn(`SMTP_URL: cannot use the SMTP server at ${where} (${reason || 'no answer'}); mails wait in the outbox until it answers`);
  } finally {
    transport.close();
  }
}
