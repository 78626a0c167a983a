// Entry point: `node dist/apps/console-server/main.js`.
import { main } from './src/bootstrap/main';

main().catch((error: unknown) => {
  process.stderr.write(`console-users failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
