import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../support/free-port';
import { HOSTS_DIR_ENV, HostApp } from './host-workspace';

/** The host's own JWT secret, which its passport-jwt strategy reads. */
export const HOST_JWT_SECRET = 'a-host-jwt-secret-unrelated-to-the-library';

/** A host app running in its own Node process. */
export interface RunningHost {
  baseUrl: string;
  dataDir: string;
  /** The first admin's password, read from the host's log (the library prints it once). */
  adminPassword: string;
  /** Everything the host wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** The workspace globalSetup prepared. */
export function hostsDir(): string {
  const dir = process.env[HOSTS_DIR_ENV];
  if (!dir) {
    throw new Error(`${HOSTS_DIR_ENV} is not set: run the host tests through Jest's "host" project`);
  }
  return dir;
}

/** Is something answering HTTP on this port? */
async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/actuator/health`)).ok;
  } catch {
    return false;
  }
}

/**
 * Starts `app` (its compiled `dist/main.js`) with a fresh data folder. The test apps pick a free
 * port and print it; the quick start (README's code as written) listens on `PORT`, so it gets a
 * free one and is ready when its health route answers. Its data folder is `data/` of its cwd.
 */
export async function startHost(app: HostApp | 'quickstart'): Promise<RunningHost> {
  const cwd = join(hostsDir(), app);
  const dataDir = app === 'quickstart' ? join(cwd, 'data') : join(cwd, 'data', randomBytes(4).toString('hex'));
  const fixedPort = app === 'quickstart' ? await freePort() : 0;
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd,
    env: {
      PATH: process.env.PATH,
      NO_COLOR: '1',
      PORT: String(fixedPort),
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://host.example.test',
      APP_SECRET: randomBytes(32).toString('hex'),
      HOST_JWT_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    let checking = false;
    const timer = setInterval(() => {
      const match = /HOST LISTENING (\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(Number(match[1]));
      } else if (fixedPort && !checking) {
        checking = true;
        void answers(fixedPort).then((ok) => {
          checking = false;
          if (ok) {
            clearInterval(timer);
            resolve(fixedPort);
          }
        });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`${app} exited with ${code} before listening:\n${output}`));
    });
  });
  const password = /Password \(shown only this once\): (\S+)/.exec(output)?.[1];
  if (!password) {
    await stop(child);
    throw new Error(`${app} printed no first-admin password:\n${output}`);
  }
  return { baseUrl: `http://127.0.0.1:${port}`, dataDir, adminPassword: password, output: () => output, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
