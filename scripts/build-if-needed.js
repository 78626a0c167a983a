// `npm start` runs this first: build once on a fresh clone, and again whenever a source file
// is newer than the built entry point.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist/apps/console-server/main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) {
      newest = Math.max(newest, newestMtime(path));
    } else if (item.name.endsWith('.ts') || item.name.endsWith('.hbs')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const sources = Math.max(newestMtime(join(root, 'apps')), newestMtime(join(root, 'libs')));
if (built === 0 || sources > built) {
  process.stdout.write('Building console-users…\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
    cwd: root,
  });
  execFileSync(process.execPath, [join(__dirname, 'copy-assets.js')], { stdio: 'inherit', cwd: root });
}
