// Where every benchmark records its figures: its own section of bench/RESULTS.md (between
// `<!-- name:start -->` and `<!-- name:end -->`) and its own key of bench/results.json, so one
// benchmark re-run replaces its figures and keeps the others'.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/** bench/ in the source tree (this file runs from dist/bench/support). */
const BENCH_DIR = join(__dirname, '..', '..', '..', 'bench');

/** Machine, Node, commit and load: what a reader needs to judge a figure. */
export function environment(): Record<string, unknown> {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout (a tarball): the figure still stands, without its commit
  }
  return {
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((v) => Number(v.toFixed(2))),
  };
}

/** One line describing {@link environment} for a RESULTS.md section. */
export function environmentLine(env: Record<string, unknown> = environment()): string {
  const load = (env.loadAverage as number[]).join(' / ');
  return `Run ${String(env.date)} at commit \`${String(env.commit)}\` on ${String(env.cpus)}, ${String(env.memoryGiB)} GiB, Node ${String(env.node)}; load average (1/5/15 min) at the end: ${load}.`;
}

/** Replaces section `name` of bench/RESULTS.md and key `name` of bench/results.json. */
export function recordResults(name: string, markdown: string, data: unknown): void {
  const mdFile = join(BENCH_DIR, 'RESULTS.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trimEnd()}\n${end}`;
  let content = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '# Benchmark results\n';
  if (content.includes(start) && content.includes(end)) {
    content = content.slice(0, content.indexOf(start)) + block + content.slice(content.indexOf(end) + end.length);
  } else {
    content = `${content.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(mdFile, content);

  const jsonFile = join(BENCH_DIR, 'results.json');
  const json = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>) : {};
  json[name] = data;
  writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
}
