#!/usr/bin/env node
// Fails when an installed package does not accept the Node.js versions we promise (package.json
// `engines.node`): such a package makes `npm ci` print an EBADENGINE warning and may stop working
// on the oldest Node we support. It reads node_modules/.package-lock.json, npm's record of exactly
// what is installed (optional packages npm skipped are not in it). `npm run check:engines`; the
// integration test dependency-engines.int-spec.ts runs it as part of `npm test`.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const semver = require('semver');

/**
 * The installed packages whose `engines.node` rejects the oldest promised Node or the running one.
 * @param {string} root the project folder
 * @param {string} running the running Node version (process.version)
 */
function engineMismatches(root = join(__dirname, '..'), running = process.version) {
  const promised = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
  const oldest = semver.minVersion(promised).version;
  const installed = JSON.parse(readFileSync(join(root, 'node_modules/.package-lock.json'), 'utf8')).packages;
  const mismatches = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(installed)) {
    const wanted = nodeRange(entry.engines);
    if (path === '' || wanted === undefined) continue;
    checked += 1;
    for (const version of [oldest, running]) {
      if (!semver.satisfies(version, wanted)) {
        mismatches.push({ path, version: entry.version, wanted, rejects: version });
        break;
      }
    }
  }
  return { promised, oldest, running, checked, mismatches };
}

/** `engines` is an object in today's manifests, an array of strings in some old ones. */
function nodeRange(engines) {
  if (engines === undefined || engines === null) return undefined;
  if (Array.isArray(engines)) {
    const node = engines.find((e) => typeof e === 'string' && e.startsWith('node'));
    return node === undefined ? undefined : node.replace(/^node\s*/, '') || '*';
  }
  return typeof engines.node === 'string' ? engines.node : undefined;
}

module.exports = { engineMismatches };

if (require.main === module) {
  const result = engineMismatches();
  if (result.mismatches.length > 0) {
    for (const m of result.mismatches) {
      process.stderr.write(`${m.path.replace(/^node_modules\//, '')}@${m.version} wants node ${m.wanted}, which excludes ${m.rejects}\n`);
    }
    process.stderr.write(`${result.mismatches.length} installed package(s) do not accept node ${result.promised} (package.json engines)\n`);
    process.exit(1);
  }
  process.stdout.write(`${result.checked} installed packages with an engines field accept node ${result.oldest} and ${result.running}\n`);
}
