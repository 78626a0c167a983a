// tsc compiles only TypeScript: copy the non-code assets (mail/SMS templates, page templates)
// next to the compiled files so the library finds them at run time.
'use strict';
const { cpSync, existsSync, readdirSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');

function assetDirs(dir) {
  const found = [];
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    if (!item.isDirectory()) continue;
    const path = join(dir, item.name);
    if (item.name === 'templates') found.push(path);
    else found.push(...assetDirs(path));
  }
  return found;
}

for (const base of ['libs', 'apps']) {
  if (!existsSync(join(root, base))) continue;
  for (const dir of assetDirs(join(root, base))) {
    cpSync(dir, join(root, 'dist', relative(root, dir)), { recursive: true });
  }
}
