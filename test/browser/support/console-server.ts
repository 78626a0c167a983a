import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

const ROOT = join(__dirname, '../../..');
/** The built server and UI, as `npm start` runs them. */
export const SERVER_ENTRY = join(ROOT, 'dist/server/main.js');
export const UI_INDEX = join(ROOT, 'dist/libs/console-users/console-ui/index.html');
export const ADMIN_PASSWORD = 'admin-browser-password';

export interface Mail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

/** The real server process on SQLite with the dev mailbox in a throwaway DATA_DIR. */
export interface ConsoleServer {
  baseUrl: string;
  dataDir: string;
  mails(): Promise<Mail[]>;
  /** Waits for a mail (polling the dev mailbox) that matches. */
  waitForMail(match: (mail: Mail) => boolean, timeoutMs?: number): Promise<Mail>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited (${child.exitCode}):\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/actuator/health`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server did not become healthy:\n${output()}`);
}

export async function startConsoleServer(extraEnv: Record<string, string> = {}): Promise<ConsoleServer> {
  if (!existsSync(SERVER_ENTRY) || !existsSync(UI_INDEX)) {
    throw new Error('Build first: npm run build:test && npm run build:ui');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'console-ui-browser-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitForHealth(baseUrl, child, () => output);

  const mailDir = join(dataDir, 'mail');
  async function mails(): Promise<Mail[]> {
    if (!existsSync(mailDir)) {
      return [];
    }
    const files = readdirSync(mailDir)
      .filter((name) => name.endsWith('.eml'))
      .sort();
    return Promise.all(
      files.map(async (file) => {
        const parsed = await simpleParser(readFileSync(join(mailDir, file)));
        const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
        return { file, to, subject: parsed.subject ?? '', text: parsed.text ?? '' };
      }),
    );
  }

  return {
    baseUrl,
    dataDir,
    mails,
    async waitForMail(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = (await mails()).filter(match);
        if (found.length > 0) {
          return found[found.length - 1]!;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`no matching mail in ${mailDir}: ${(await mails()).map((m) => `${m.to}: ${m.subject}`).join('; ')}`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('close', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
