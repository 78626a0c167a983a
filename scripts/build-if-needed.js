// `npm start` runs this first: build once on a fresh clone, and again whenever a source file
// is newer than the last build.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
// What `npm start` runs: the server bundled by scripts/bundle-server.js from the tsc output.
const entry = join(root, 'dist/server/main.js');
// tsc only rewrites the files a change affects, so main.js itself may stay older than the
// sources after a build; a stamp written after every build is what tells "up to date".
const stamp = join(root, 'dist/.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) {
    return newest;
  }
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) {
      newest = Math.max(newest, newestMtime(path));
    } else if (/\.(ts|mts|hbs|vue|css|html)$/.test(item.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** A lock without its owner's pid (being taken right now) older than this was left by a crash. */
const UNOWNED_LOCK_MS = 5_000;

/** Whether the build that took `lock` has ended without releasing it (killed, say, by Ctrl-C). */
function abandoned(lock) {
  let owner = 0;
  try {
    owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Not written yet, or the lock is already gone: decided below by its age.
  }
  if (!Number.isInteger(owner) || owner <= 0) {
    const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
    return since !== undefined && Date.now() - since > UNOWNED_LOCK_MS;
  }
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * Runs `build` while holding dist/.build-lock: test suites running side by side each call this
 * script, and two builds at once would swap the server bundle under each other. A lock whose
 * build is gone (a Ctrl-C ends this process before it can release it) is taken over.
 */
function whileHoldingBuildLock(build) {
  const lock = join(root, 'dist/.build-lock');
  mkdirSync(join(root, 'dist'), { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (abandoned(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        process.stdout.write('Waiting for another build of console-users to finish…\n');
        told = true;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** tsc, the templates beside the compiled files, then the bundle `npm start` runs. */
function buildServerIfStale() {
  const built = existsSync(entry) && existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(root, 'apps/console-server')),
    newestMtime(join(root, 'libs')),
    statSync(join(root, 'tsconfig.json')).mtimeMs,
  );
  if (built === 0 || sources > built) {
    process.stdout.write('Building console-users…\n');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
      stdio: 'inherit',
      cwd: root,
    });
    execFileSync(process.execPath, [join(__dirname, 'copy-assets.js')], { stdio: 'inherit', cwd: root });
    execFileSync(process.execPath, [join(__dirname, 'bundle-server.js')], { stdio: 'inherit', cwd: root });
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }
}

// The console UI (Vite) has its own stamp: a server-only change does not rebuild it, and the
// other way round.
function buildUiIfStale() {
  const uiSourcesDir = join(root, 'apps/console-ui');
  const uiIndex = join(root, 'dist/libs/console-users/console-ui/index.html');
  const uiStamp = join(root, 'dist/.ui-build-stamp');
  const uiBuilt = existsSync(uiIndex) && existsSync(uiStamp) ? statSync(uiStamp).mtimeMs : 0;
  if (existsSync(uiSourcesDir) && (uiBuilt === 0 || newestMtime(uiSourcesDir) > uiBuilt)) {
    process.stdout.write('Building the console UI…\n');
    execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(uiSourcesDir, 'vite.config.mts')], {
      stdio: 'inherit',
      cwd: root,
    });
    writeFileSync(uiStamp, `${new Date().toISOString()}\n`);
  }
}

whileHoldingBuildLock(() => {
  buildServerIfStale();
  buildUiIfStale();
});
