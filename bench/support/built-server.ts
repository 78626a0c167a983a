import axios from 'axios';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/free-port';

/** What `npm start` runs: the server bundled by scripts/bundle-server.js (dist/server/main.js). */
export const BUILT_SERVER_ENTRY = join(__dirname, '..', '..', 'server', 'main.js');

/** The built server as its own process, healthy on `port`. */
export interface BuiltServer {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawning to the first 200 of /actuator/health. */
  bootMs: number;
  /** SIGTERM, then waits for the process to end (it finishes requests in flight and closes the database). */
  stop(): Promise<void>;
}

/**
 * Starts the built server with `env` (plus PORT and HOST) and waits until /actuator/health answers
 * 200. Its stdout goes to `stdoutFile` (or nowhere); a process that ends before it is healthy is
 * an error carrying the end of its stderr.
 */
export async function startBuiltServer(env: NodeJS.ProcessEnv, stdoutFile?: string): Promise<BuiltServer> {
  const port = await freePort();
  const stdout = stdoutFile ? openSync(stdoutFile, 'a') : 'ignore';
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [BUILT_SERVER_ENTRY], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', stdout, 'pipe'] });
  if (typeof stdout === 'number') {
    closeSync(stdout);
  }
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) during boot: ${stderr}`);
      }
      const healthy = await axios.get(`http://127.0.0.1:${port}/actuator/health`, { validateStatus: () => true, timeout: 1_000 }).then(
        (res) => res.status === 200,
        () => false,
      );
      if (healthy) {
        return { child, port, bootMs: Number(process.hrtime.bigint() - started) / 1e6, stop };
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
