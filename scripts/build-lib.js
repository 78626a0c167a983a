// Builds the library as the npm package ships it, inside libs/console-users: CommonJS and .d.ts
// in dist/ (tsconfig.lib.json), the mail and page templates next to the code that reads them,
// and the built admin console in console-ui/ (CONSOLE_UI_DIR resolves there from dist/).
// `npm run pack:lib` runs this, then `npm pack` in libs/console-users. With `--if-needed` (the
// host tests) it does nothing when the build is newer than every source, template and the UI.
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const lib = join(root, 'libs/console-users');
const src = join(lib, 'src');
const out = join(lib, 'dist');
// Outside dist/ and the package's `files`: never packed.
const stamp = join(lib, '.build-stamp');
const ui = join(root, 'dist/libs/console-users/console-ui');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

if (process.argv.includes('--if-needed') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  const inputs = [src, ui, join(lib, 'package.json'), join(lib, 'tsconfig.lib.json'), join(root, 'tsconfig.json'), join(root, 'docs/host-guide.md')];
  if (inputs.every((input) => newestMtime(input) < built)) {
    process.exit(0);
  }
}

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(lib, 'tsconfig.lib.json')], { stdio: 'inherit', cwd: root });

function templateDirs(dir) {
  const found = [];
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    if (!item.isDirectory()) continue;
    const path = join(dir, item.name);
    if (item.name === 'templates') found.push(path);
    else found.push(...templateDirs(path));
  }
  return found;
}
for (const dir of templateDirs(src)) {
  cpSync(dir, join(out, relative(src, dir)), { recursive: true });
}

// The package's README (its npm page) is the host guide.
cpSync(join(root, 'docs/host-guide.md'), join(lib, 'README.md'));

// The console is built by Vite (`npm run build:ui`) into the server's dist; the package carries a copy.
rmSync(join(lib, 'console-ui'), { recursive: true, force: true });
if (existsSync(join(ui, 'index.html'))) {
  cpSync(ui, join(lib, 'console-ui'), { recursive: true });
} else {
  process.stderr.write('build-lib: the console UI is not built (npm run build:ui); the package will not contain it\n');
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
