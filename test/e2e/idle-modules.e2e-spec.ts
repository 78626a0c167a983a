import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..', 'dist', 'apps', 'console-server', 'src');

/**
 * Boots the built app in a fresh Node process (Jest's own module registry is not Node's), asks
 * it for its health, then optionally renders a mail, and prints which of the mail stack's
 * packages Node has loaded by then.
 */
function loadedMailPackages(renderMail: boolean): string[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-users-idle-modules-'));
  const script = `
    const { createApp } = require(${JSON.stringify(join(DIST, 'bootstrap', 'create-app.js'))});
    const { parseConfig } = require(${JSON.stringify(join(DIST, 'config', 'app-config.js'))});
    (async () => {
      const app = await createApp(parseConfig(process.env), { onAdminCreated: () => undefined });
      await app.init();
      const health = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/actuator/health' });
      if (health.statusCode !== 200) throw new Error('health ' + health.statusCode);
      if (${renderMail}) {
        const { TemplateRenderer } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'libs', 'console-users', 'src', 'notifications', 'template-renderer.js'))});
        app.get(TemplateRenderer).renderMail('email-verify', 'en', { code: '123456', username: 'a', displayName: 'A', expiresInMinutes: 10 });
      }
      const loaded = [...new Set(Object.keys(require.cache).map((f) => (/node_modules\\/(handlebars|nodemailer)\\//.exec(f) || [])[1]).filter(Boolean))].sort();
      await app.close();
      process.stdout.write(JSON.stringify(loaded));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  try {
    const env = { ...process.env, NODE_ENV: 'production', APP_SECRET: 'a'.repeat(64), DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'c.sqlite')}`, ADMIN_PASSWORD: 'Idle-Modules-Pass-1!', PUBLIC_URL: 'http://console.example.test', LOG_LEVEL: 'warn' };
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' })) as string[];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('what an idle server holds (built app, real Node module loading)', () => {
  it('loads neither Handlebars nor nodemailer until something is rendered or sent', () => {
    expect(loadedMailPackages(false)).toEqual([]);
  });

  it('loads Handlebars on the first rendered mail', () => {
    expect(loadedMailPackages(true)).toEqual(['handlebars']);
  });
});
