import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** The built server entry point, as `npm start` runs it: the bundle of scripts/bundle-server.js. */
export const SERVER_ENTRY = join(ROOT, 'dist/server/main.js');

/**
 * Builds dist/ the way `npm start` does (scripts/build-if-needed.js: only when a source file is
 * newer than the last build), so tests of the built server never run a stale one.
 */
export function buildServer(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-needed.js')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A server running as its own process, as an operator starts it. */
export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves when the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node dist/server/main.js` with exactly `env` (plus PATH): nothing of the
 * test runner's environment leaks in, so the server sees what an operator would give it.
 */
export function spawnServer(env: Record<string, string>, cwd: string): ServerProcess {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    listeners.forEach((l) => l());
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal });
      listeners.forEach((l) => l());
    });
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = out.match(pattern);
          if (match) {
            listeners.delete(check);
            resolve(match);
          } else if (ended || child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`server ended before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Ends `server` if it is still running (SIGTERM: it shuts down cleanly; SIGKILL: at once) and waits until it has. */
export async function stopServer(server: ServerProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill(signal);
    await server.exited;
  }
}
