import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL server of its own for a fault scenario (the run's shared one must never be
 * stopped): stop it, start it again with its data, or freeze every one of its processes with
 * SIGSTOP as a hung machine or a network black hole would.
 */
export class FaultPostgres {
  private output = '';
  private waiters: (() => void)[] = [];
  private postmasterPid = 0;
  port = 0;

  private constructor(private readonly control: ChildProcess) {
    control.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
      this.waiters.forEach((w) => w());
    });
    control.stderr!.resume();
  }

  /** Starts a fresh server and creates `database` in it. */
  static async start(database = 'console'): Promise<FaultPostgres> {
    const control = spawn(process.execPath, [join(__dirname, 'postgres-control.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const pg = new FaultPostgres(control);
    await pg.ready(0);
    const admin = new Client({ connectionString: pg.urlOf('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    return pg;
  }

  /** The URL of a database on this server. */
  urlOf(database = 'console'): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** A fast shutdown (SIGINT to the postmaster): connections are closed, new ones refused. */
  async stop(): Promise<void> {
    const before = this.count('STOPPED');
    this.control.stdin!.write('stop\n');
    await this.until(() => this.count('STOPPED') > before);
  }

  /** Starts the stopped server again on the same port with the same data. */
  async restart(): Promise<void> {
    const before = this.count('READY');
    this.control.stdin!.write('start\n');
    await this.ready(before);
  }

  /** SIGSTOP to the postmaster and every backend: connections stay open and nothing answers. */
  freeze(): void {
    this.signalAll('SIGSTOP');
  }

  /** SIGCONT: the frozen processes carry on where they stopped. */
  thaw(): void {
    this.signalAll('SIGCONT');
  }

  async close(): Promise<void> {
    this.thaw();
    this.control.stdin!.write('exit\n');
    await new Promise<void>((resolve) => {
      if (this.control.exitCode !== null) {
        resolve();
      } else {
        this.control.once('exit', () => resolve());
      }
    });
  }

  private signalAll(signal: NodeJS.Signals): void {
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(this.postmasterPid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    // The postmaster first when stopping (no new backend forks), last when continuing.
    const order = signal === 'SIGSTOP' ? [this.postmasterPid, ...children] : [...children, this.postmasterPid];
    for (const pid of order) {
      try {
        process.kill(pid, signal);
      } catch {
        // a backend that ended meanwhile
      }
    }
  }

  private async ready(before: number): Promise<void> {
    await this.until(() => this.count('READY') > before);
    const lines = this.output.split('\n').filter((line) => line.startsWith('READY '));
    const [, port, pid] = lines[lines.length - 1]!.split(' ');
    this.port = Number(port);
    this.postmasterPid = Number(pid);
  }

  private count(word: string): number {
    return this.output.split('\n').filter((line) => line.startsWith(word)).length;
  }

  private until(done: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done()) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        } else if (this.control.exitCode !== null) {
          reject(new Error(`postgres control ended: ${this.output}`));
        }
      };
      this.waiters.push(check);
      this.control.once('exit', check);
      check();
    });
  }
}
