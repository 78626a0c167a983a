// Entry point: `node dist/apps/console-server/main.js`.
import { exitWithBootFailure, main } from './src/bootstrap/main';

main().catch((error: unknown) => {
  exitWithBootFailure(`console-users failed to start: ${error instanceof Error ? error.message : String(error)}`);
});
