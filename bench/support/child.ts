import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** A benchmark helper process: started with `fork`, it posts one `ready` message with its details. */
export interface Child<T> {
  process: ChildProcess;
  info: T;
  /** Sends a request and resolves with the child's answer (one in flight at a time). */
  ask<R>(message: Record<string, unknown>): Promise<R>;
  stop(): Promise<void>;
}

/** Forks `bench/support/<script>.js` (compiled) and waits for its `ready` message. */
export async function startChild<T>(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Child<T>> {
  const child = fork(join(__dirname, `${script}.js`), args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // BENCH_PROFILE=<dir>: CPU profiles of the helper processes, to find where the time goes.
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : process.env.BENCH_REQUIRE ? ['-r', process.env.BENCH_REQUIRE] : [],
    env: { ...process.env, ...env },
  });
  const info = await new Promise<T>((resolve, reject) => {
    child.once('message', (message: { type: string; info: T }) => (message.type === 'ready' ? resolve(message.info) : reject(new Error(String(message)))));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return {
    process: child,
    info,
    ask: <R>(message: Record<string, unknown>) =>
      new Promise<R>((resolve) => {
        child.once('message', (answer: R) => resolve(answer));
        child.send(message);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          return resolve();
        }
        child.once('exit', () => resolve());
        child.kill(process.env.BENCH_PROFILE ? 'SIGINT' : 'SIGTERM');
      }),
  };
}

/** In a child: posts the `ready` message. */
export function ready(info: unknown): void {
  process.send?.({ type: 'ready', info });
}
