// `npm run bench`: every benchmark in one run, each against its baselines measured in the same run
// (bare Fastify, Nest 12 + Fastify hello), on SQLite and PostgreSQL. Each writes its own section of
// bench/RESULTS.md and key of bench/results.json; at the end every target is printed with its
// verdict, and the same table becomes the "targets" section of bench/RESULTS.md. Not part of `npm test`.
//   BENCH_ONLY=auth,send-code,list-users   run a subset (the table then also shows older verdicts, dated)
//   BENCH_SECONDS / BENCH_WARMUP_SECONDS    length of each measured scenario
//   BENCH_DATABASES=sqlite,postgres         databases of the auth and list benchmarks
//   BENCH_LIST_USERS=100000                 the list benchmark's large size (default 1 000 000)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentLine, recordResults } from './support/results';
import { TargetVerdict, verdictTable } from './support/targets';

const BENCHMARKS: Record<string, string> = {
  auth: join(__dirname, 'auth', 'main.js'),
  'send-code': join(__dirname, 'send-code.js'),
  'list-users': join(__dirname, 'list-users', 'main.js'),
};

/** bench/results.json in the source tree (this file runs from dist/bench). */
const RESULTS_JSON = join(__dirname, '..', '..', 'bench', 'results.json');

interface Recorded {
  environment?: { date?: string; commit?: string };
  targets?: TargetVerdict[];
}

/** Every recorded verdict, each marked with the run it comes from when that run was not this one. */
function collectVerdicts(ranNow: Set<string>): { verdicts: TargetVerdict[]; missing: string[] } {
  const recorded = existsSync(RESULTS_JSON) ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as Record<string, Recorded>) : {};
  const verdicts: TargetVerdict[] = [];
  const missing: string[] = [];
  for (const name of Object.keys(BENCHMARKS)) {
    const entry = recorded[name];
    if (!entry?.targets) {
      missing.push(name);
      continue;
    }
    const from = ranNow.has(name) ? '' : ` (from an earlier run, ${entry.environment?.date ?? 'undated'} at ${entry.environment?.commit ?? '?'})`;
    verdicts.push(...entry.targets.map((v) => ({ ...v, figure: `${v.figure}${from}` })));
  }
  return { verdicts, missing };
}

function main(): void {
  const only = (process.env.BENCH_ONLY ?? Object.keys(BENCHMARKS).join(',')).split(',').map((s) => s.trim());
  const failed: string[] = [];
  const ran = new Set<string>();
  for (const name of only) {
    const script = BENCHMARKS[name];
    if (!script) {
      throw new Error(`BENCH_ONLY: unknown benchmark "${name}" (known: ${Object.keys(BENCHMARKS).join(', ')})`);
    }
    process.stdout.write(`\n=== ${name} ===\n`);
    // One process per benchmark: none inherits another's heap, JIT state or open handles.
    const result = spawnSync(process.execPath, [script], { stdio: 'inherit', env: process.env });
    if (result.status !== 0) {
      failed.push(name);
    } else {
      ran.add(name);
    }
  }

  const { verdicts, missing } = collectVerdicts(ran);
  const met = verdicts.filter((v) => v.met).length;
  const table = [
    '## Targets',
    '',
    environmentLine(),
    '',
    `${met} of ${verdicts.length} judged targets met${missing.length ? `; no recorded verdicts for: ${missing.join(', ')}` : ''}.`,
    '',
    ...verdictTable(verdicts),
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  recordResults('targets', table, { met, judged: verdicts.length, missing });
  process.stdout.write(`\nResults: bench/RESULTS.md and bench/results.json${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}\n`);
  process.exit(failed.length ? 1 : 0);
}

main();
