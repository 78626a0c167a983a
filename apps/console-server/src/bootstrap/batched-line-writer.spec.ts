import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';
import { BatchedLineWriter } from './batched-line-writer';

const notice = (count: number): string => `dropped ${count}\n`;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchedLineWriter', () => {
  let dir: string;
  let file: string;
  let fd: number;
  let writer: BatchedLineWriter;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'line-writer-'));
    file = join(dir, 'out.log');
    fd = openSync(file, 'a');
    writer = new BatchedLineWriter(fd, { droppedNotice: notice });
  });

  afterEach(() => {
    writer.close();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the lines of one turn after that turn, all of them, in order', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i} ✓\n`);
    lines.forEach((line) => writer.write(line));
    expect(readFileSync(file, 'utf8')).toBe(''); // not on the caller's time
    await nextTurn();
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
  });

  it('writes what it holds at once when flushed, and calls back', async () => {
    writer.write('first\n');
    const done = jest.fn();
    writer.flush(done);
    expect(readFileSync(file, 'utf8')).toBe('first\n');
    expect(done).toHaveBeenCalledTimes(1);
    writer.write('second\n');
    writer.flushSync();
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond\n');
    await nextTurn(); // the turn's own write finds nothing left: no line twice
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond\n');
  });

  it('reports a descriptor that fails for good once, drops later lines and never throws', async () => {
    const reportFailure = jest.fn();
    const broken = new BatchedLineWriter(987_654, { droppedNotice: notice, reportFailure });
    try {
      broken.write('lost\n');
      await nextTurn();
      broken.write('also lost\n');
      await nextTurn();
      expect(reportFailure).toHaveBeenCalledTimes(1);
      expect(reportFailure.mock.calls[0]![0]).toMatchObject({ code: 'EBADF' });
    } finally {
      broken.close();
    }
  });
});

describe('BatchedLineWriter on a pipe, in its own process', () => {
  let dir: string;
  let module: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'line-writer-child-'));
    module = join(dir, 'batched-line-writer.js');
    writeFileSync(module, transformFileSync(join(__dirname, 'batched-line-writer.ts'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `body` in a child whose stdout is a pipe this test reads only after `pauseMs`. */
  async function child(body: string, pauseMs: number): Promise<{ stdout: string; stderr: string; code: number | null }> {
    const script = `
      const { BatchedLineWriter } = require(${JSON.stringify(module)});
      process.stdout._handle; // as a server does: Node makes a stdout pipe non-blocking
      ${body}`;
    const proc = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.pause();
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    let stdout = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    proc.stdout.resume();
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    return { stdout, stderr, code };
  }

  it('keeps every line of a full pipe, in order, without blocking the event loop meanwhile', async () => {
    const result = await child(
      `
      const writer = new BatchedLineWriter(1, { droppedNotice: (n) => 'dropped ' + n + '\\n' });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      for (let i = 0; i < 20000; i++) writer.write('line ' + i + ' ' + 'x'.repeat(80) + '\\n');
      // 2 MB against a 64 KiB pipe nobody reads yet: the writer waits for it, the loop does not.
      setTimeout(() => { clearInterval(timer); process.stderr.write('ticks ' + ticks + '\\n'); }, 300);
      `,
      800,
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(20000);
    expect(lines.every((line, i) => line.startsWith(`line ${i} `))).toBe(true);
    expect(Number(/ticks (\d+)/.exec(result.stderr)![1])).toBeGreaterThan(10);
  });

  it('writes the lines logged just before process.exit()', async () => {
    const result = await child(
      `
      const writer = new BatchedLineWriter(1, { droppedNotice: (n) => 'dropped ' + n + '\\n' });
      for (let i = 0; i < 10; i++) writer.write('last words ' + i + '\\n');
      process.exit(0);
      `,
      0,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(Array.from({ length: 10 }, (_, i) => `last words ${i}\n`).join(''));
  });

  it('drops lines beyond its bound while the pipe takes nothing, and then says how many', async () => {
    const result = await child(
      `
      const writer = new BatchedLineWriter(1, { maxHeldBytes: 100000, droppedNotice: (n) => 'dropped ' + n + '\\n' });
      let i = 0;
      // Written over half a second, while the test reads nothing: the pipe and the bound fill up.
      const timer = setInterval(() => { for (let k = 0; k < 500; k++) writer.write('line ' + i++ + ' ' + 'x'.repeat(80) + '\\n'); }, 10);
      setTimeout(() => { clearInterval(timer); process.stderr.write('written ' + i + '\\n'); }, 500);
      `,
      1500,
    );
    expect(result.code).toBe(0);
    const written = Number(/written (\d+)/.exec(result.stderr)![1]);
    const lines = result.stdout.split('\n').filter(Boolean);
    const kept = lines.filter((line) => line.startsWith('line '));
    const dropped = lines.filter((line) => line.startsWith('dropped ')).reduce((sum, line) => sum + Number(line.slice(8)), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(kept.length + dropped).toBe(written); // every line either written or counted
    // What was kept stays in order.
    const numbers = kept.map((line) => Number(line.split(' ')[1]));
    expect(numbers.every((n, k) => k === 0 || n > numbers[k - 1]!)).toBe(true);
  });
});
