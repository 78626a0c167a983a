// Entry point, compiled to dist/apps/console-server/main.js; `npm start` runs the same code bundled
// by scripts/bundle-server.js as dist/server/main.js (it boots faster).
import { holdYoungGenerationWhileBooting } from './src/bootstrap/young-generation';

// Before anything heavy is loaded: the module graph below is most of boot's allocation.
const releaseYoungGeneration = holdYoungGenerationWhileBooting();
const { exitWithBootFailure, main } = require('./src/bootstrap/main') as typeof import('./src/bootstrap/main');

main().then(releaseYoungGeneration, (error: unknown) => {
  exitWithBootFailure(`console-users failed to start: ${error instanceof Error ? error.message : String(error)}`);
});
