import { Logger } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SmsSender } from './sms-sender';

/** The default {@link SmsSender}: writes each SMS into the dev mailbox and logs where (never the text). */
export class DevSmsSender implements SmsSender {
  private readonly logger = new Logger('Sms');

  constructor(private readonly dir: string) {}

  async send(to: string, text: string): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${Date.now()}-sms-${to.replace(/[^0-9+]/g, '')}.txt`);
    writeFileSync(file, `To: ${to}\n\n${text}\n`, { mode: 0o600 });
    this.logger.log(`Dev mailbox: SMS to ${to} saved as ${file}`);
  }
}
