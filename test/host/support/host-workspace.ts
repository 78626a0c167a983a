import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const REPO = join(__dirname, '..', '..', '..');

/** The README's quick start: the code between its `<!-- quick-start -->` markers. */
export function quickStartCode(markdownFile = join(REPO, 'README.md')): string {
  const text = readFileSync(markdownFile, 'utf8');
  const block = /<!-- quick-start -->\s*```ts\n([\s\S]*?)```\s*<!-- \/quick-start -->/.exec(text);
  if (!block) {
    throw new Error(`${markdownFile} has no quick-start block`);
  }
  return block[1]!;
}

/** The environment variable through which globalSetup hands the workspace to the test files. */
export const HOSTS_DIR_ENV = 'CONSOLE_USERS_HOSTS_DIR';

/** The host apps, each a folder of test/host/fixtures compiled inside the workspace. */
export const HOST_APPS = ['express-cjs', 'fastify-esm'] as const;
export type HostApp = (typeof HOST_APPS)[number];

/**
 * What the host apps depend on besides the tarball: the library's peers, an HTTP platform each,
 * the SQLite driver, and passport-jwt for the host's own strategy. Pinned to the versions this
 * repository installed, so npm finds them in its cache (CI's `npm ci` fills it).
 */
const HOST_DEPENDENCIES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/typeorm',
  '@nestjs/passport',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'typeorm',
  'passport',
  'passport-jwt',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
  'rxjs',
  // The Express host serves the admin UI with express.static, as the host guide shows.
  'express',
  // The hosts are TypeScript projects: their own type packages.
  '@types/node',
  '@types/passport-jwt',
  '@types/express',
];

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
}

/**
 * Builds the package (`scripts/build-lib.js`, skipped when up to date), packs it with `npm pack`,
 * installs the tarball with `npm install` into a fresh folder next to the peers, and compiles the
 * host apps there with their own tsconfig against the installed `.d.ts`. Returns the folder.
 */
export function prepareHostWorkspace(): { dir: string; tarball: string } {
  run(process.execPath, [join(REPO, 'scripts/build-lib.js'), '--if-needed'], REPO);
  const dir = mkdtempSync(join(tmpdir(), 'console-users-hosts-'));
  const packed = JSON.parse(run('npm', ['pack', join(REPO, 'libs/console-users'), '--json', '--pack-destination', dir], REPO)) as { filename: string }[];
  const tarball = join(dir, packed[0]!.filename);

  const dependencies: Record<string, string> = Object.fromEntries(HOST_DEPENDENCIES.map((name) => [name, installedVersion(name)]));
  // A native driver: linked to the repository's build instead of compiled again.
  dependencies['better-sqlite3'] = `file:${join(REPO, 'node_modules/better-sqlite3')}`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'console-users-hosts', private: true, dependencies }, null, 2));
  run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--install-links=false'], dir);

  for (const app of HOST_APPS) {
    cpSync(join(REPO, 'test/host/fixtures', app), join(dir, app), { recursive: true });
    const tsconfig = join(dir, app, 'tsconfig.json');
    run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], join(dir, app));
    mkdirSync(join(dir, app, 'data'), { recursive: true });
  }
  // The quick start exactly as README shows it, in a CommonJS app of its own.
  const quickstart = join(dir, 'quickstart');
  mkdirSync(join(quickstart, 'src'), { recursive: true });
  cpSync(join(REPO, 'test/host/fixtures/express-cjs/package.json'), join(quickstart, 'package.json'));
  cpSync(join(REPO, 'test/host/fixtures/express-cjs/tsconfig.json'), join(quickstart, 'tsconfig.json'));
  writeFileSync(join(quickstart, 'src/main.ts'), quickStartCode());
  run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(quickstart, 'tsconfig.json')], quickstart);

  if (!existsSync(join(dir, 'node_modules/nestjs-console-users/dist/index.js'))) {
    throw new Error('the tarball was not installed');
  }
  return { dir, tarball };
}
