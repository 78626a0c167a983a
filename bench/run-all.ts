// `npm run bench`: every benchmark in turn; each writes its own section of bench/RESULTS.md.
import { runListUsersBenchmark } from './list-users/main';

async function main(): Promise<void> {
  await runListUsersBenchmark();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
