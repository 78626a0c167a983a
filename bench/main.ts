// `npm run bench`: every benchmark in one run, each against its baselines measured in the same run
// (bare Fastify, Nest 12 + Fastify hello), on SQLite and PostgreSQL. Each writes its own section of
// bench/RESULTS.md and key of bench/results.json. Not part of `npm test`.
//   BENCH_ONLY=auth,send-code,list-users   run a subset
//   BENCH_SECONDS / BENCH_WARMUP_SECONDS    length of each measured scenario
//   BENCH_DATABASES=sqlite,postgres         databases of the auth and list benchmarks
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHMARKS: Record<string, string> = {
  auth: join(__dirname, 'auth', 'main.js'),
  'send-code': join(__dirname, 'send-code.js'),
  'list-users': join(__dirname, 'list-users', 'main.js'),
};

function main(): void {
  const only = (process.env.BENCH_ONLY ?? Object.keys(BENCHMARKS).join(',')).split(',').map((s) => s.trim());
  const failed: string[] = [];
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
    }
  }
  process.stdout.write(`\nResults: bench/RESULTS.md and bench/results.json${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}\n`);
  process.exit(failed.length ? 1 : 0);
}

main();
