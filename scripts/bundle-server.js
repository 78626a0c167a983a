// Bundles the compiled server (dist/apps/console-server/main.js and everything it loads) into
// dist/server/: `npm start` runs dist/server/main.js. Why: Node resolves, reads and wraps each of
// the ≈ 2 000 modules the server loads one by one, and that was most of its boot; the same code
// in a few dozen chunks boots about a third faster and holds less memory. Chunks of ≈ 400 kB,
// not one file: V8 parses a whole script at once, and the parser memory a single 6 MB script
// needs stays in the process (≈ 20 MB more RSS than the unbundled server).
//
// What stays outside the bundle and is loaded from node_modules at run time: native addons
// (better-sqlite3, argon2), packages that are not installed (TypeORM's and Nest's optional
// drivers, loaded only when configured), and every file a module reads from its own directory:
// `__dirname` and `__filename` keep pointing at the module's own place in dist/ or node_modules/,
// so templates, the console UI and worker scripts are found where they are.
//
// Stack traces name the chunk and its line; each chunk has a source map beside it, which Node
// applies with NODE_OPTIONS=--enable-source-maps.
'use strict';
const { existsSync, readFileSync, renameSync, rmSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const root = join(__dirname, '..');
const input = join(root, 'dist/apps/console-server/main.js');
const outDir = join(root, 'dist/server');
/** Bytes per chunk (before comments are dropped); see the header for why not one file. */
const CHUNK_BYTES = 400_000;

/** Loaded from node_modules as they are: compiled addons and their platform packages. */
const NATIVE = [/^better-sqlite3(\/|$)/, /^@node-rs\//, /^bufferutil$/, /^utf-8-validate$/, /^pg-native$/];

/** `__dirname` and `__filename` of the module at `id`, as seen from a chunk in `outDir`. */
function modulePathsPlugin() {
  return {
    name: 'console-users:module-paths',
    transform: {
      filter: { code: /__(dirname|filename)/ },
      handler(code, id) {
        if (!/\.[cm]?js$/.test(id)) {
          return null;
        }
        const dir = JSON.stringify(relative(outDir, dirname(id)));
        const file = JSON.stringify(relative(outDir, id));
        // Identifiers only: not a property (`x.__dirname`) nor part of a longer name.
        const rewritten = code
          .replace(/(?<![\w$.])__dirname(?![\w$])/g, `require("node:path").join(__dirname, ${dir})`)
          .replace(/(?<![\w$.])__filename(?![\w$])/g, `require("node:path").join(__dirname, ${file})`);
        return rewritten === code ? null : { code: rewritten, map: null };
      },
    },
  };
}

/**
 * Our compiled files come with tsc's source maps: handing them to the bundler makes the chunks'
 * maps point at the TypeScript sources, not at the compiled JavaScript.
 */
function compiledSourceMapsPlugin() {
  return {
    name: 'console-users:compiled-source-maps',
    load(id) {
      if (!id.startsWith(join(root, 'dist') + '/') || !id.endsWith('.js') || !existsSync(`${id}.map`)) {
        return null;
      }
      const map = JSON.parse(readFileSync(`${id}.map`, 'utf8'));
      // Sources as absolute paths: the bundler resolves them against the chunk, not this file.
      map.sources = map.sources.map((source) => resolve(dirname(id), map.sourceRoot ?? '', source));
      delete map.sourceRoot;
      return { code: readFileSync(id, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map };
    },
  };
}

/** Keeps native addons and anything not installed out of the bundle (a `require` at run time, as before). */
function externalsPlugin() {
  return {
    name: 'console-users:externals',
    async resolveId(source, importer, options) {
      if (source.startsWith('.') || source.startsWith('/') || source.startsWith('node:')) {
        return null;
      }
      if (NATIVE.some((pattern) => pattern.test(source))) {
        return { id: source, external: true };
      }
      // The bundler's own resolution (every condition it knows); what it cannot find is not installed.
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved ?? { id: source, external: true };
    },
  };
}

/**
 * Non-ASCII characters as \u escapes: V8 keeps a script with even one of them as two bytes per
 * character. Comments are gone by then, and an escape means the same in a string, a template, a
 * regular expression or an identifier.
 */
function asciiPlugin() {
  return {
    name: 'console-users:ascii',
    renderChunk(code) {
      // eslint-disable-next-line no-control-regex
      if (!/[^\x00-\x7f]/.test(code)) {
        return null;
      }
      // eslint-disable-next-line no-control-regex
      return { code: code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), map: null };
    },
  };
}

async function main() {
  if (!existsSync(input)) {
    throw new Error(`${relative(root, input)} is missing: compile the server first (tsc)`);
  }
  const { build } = await import('rolldown');
  // Written beside dist/server and swapped in at the end: a server starting meanwhile loads either
  // the old chunks or the new ones, never a mix or a half-written directory.
  const staging = `${outDir}.${process.pid}.new`;
  const previous = `${outDir}.${process.pid}.old`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await build({
      input,
      platform: 'node',
      plugins: [externalsPlugin(), compiledSourceMapsPlugin(), modulePathsPlugin(), asciiPlugin()],
      logLevel: 'warn',
      output: {
        dir: staging,
        format: 'cjs',
        entryFileNames: 'main.js',
        chunkFileNames: 'chunk-[hash].js',
        comments: false,
        sourcemap: true,
        codeSplitting: { groups: [{ name: 'chunk', tags: ['$initial'], maxSize: CHUNK_BYTES }] },
      },
    });
  } catch (error) {
    // A failed build leaves the running bundle as it was, and no half-written directory beside it.
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(outDir)) {
    renameSync(outDir, previous);
  }
  renameSync(staging, outDir);
  rmSync(previous, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`bundling the server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
