import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface EngineCheck {
  promised: string;
  oldest: string;
  checked: number;
  mismatches: { path: string; version: string; wanted: string; rejects: string }[];
}
// scripts/check-engines.js is plain JavaScript (it must run before anything is compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { engineMismatches } = require('../../scripts/check-engines') as { engineMismatches: (root?: string, running?: string) => EngineCheck };

describe('installed dependencies', () => {
  describe('engines (no EBADENGINE warning on npm ci with the oldest Node we promise)', () => {
    it('every installed package accepts the oldest promised Node and the running one', () => {
      const sut = engineMismatches();
      expect(sut.oldest).toBe('20.19.0');
      expect(sut.checked).toBeGreaterThan(100);
      expect(sut.mismatches).toEqual([]);
    });

    it('names a package that wants a newer Node', () => {
      const root = mkdtempSync(join(tmpdir(), 'engines-'));
      try {
        mkdirSync(join(root, 'node_modules'));
        writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: '>=20.19' } }));
        writeFileSync(
          join(root, 'node_modules/.package-lock.json'),
          JSON.stringify({
            packages: {
              '': { engines: { node: '>=20.19' } },
              'node_modules/old-enough': { version: '1.0.0', engines: { node: '>=18' } },
              'node_modules/too-new': { version: '2.0.0', engines: { node: '>=22' } },
              'node_modules/a/node_modules/nested-too-new': { version: '3.0.0', engines: ['node >=22.12'] },
              'node_modules/no-engines': { version: '1.0.0' },
            },
          }),
        );
        const sut = engineMismatches(root, 'v22.12.0');
        expect(sut.checked).toBe(3);
        expect(sut.mismatches).toEqual([
          { path: 'node_modules/too-new', version: '2.0.0', wanted: '>=22', rejects: '20.19.0' },
          { path: 'node_modules/a/node_modules/nested-too-new', version: '3.0.0', wanted: '>=22.12', rejects: '20.19.0' },
        ]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });

  // package.json `overrides` pins older releases (cookie 1, content-disposition 2, file-type 21)
  // than the ones their dependents ask for, because the newer ones want Node 22: prove that the
  // dependents still work with them, through the calls they make, in plain Node (Jest's loader
  // cannot run their dynamic `import()`).
  it('the overridden packages work for the packages that use them', () => {
    const sut = JSON.parse(execFileSync(process.execPath, [join(__dirname, '../support/dependency-probes.js')], { encoding: 'utf8' }));
    expect(sut).toEqual({
      // @fastify/cookie and light-my-request (Fastify's inject) on cookie 1.x
      cookies: {
        setCookie: 'answer=you%20sent%20hello%20world; Max-Age=60; Path=/; HttpOnly; SameSite=Lax',
        parsed: [{ name: 'answer', value: 'you sent hello world', maxAge: 60, httpOnly: true }],
      },
      // @fastify/static on content-disposition 2.x
      staticFiles: {
        served: [200, 'quarterly numbers\n'],
        disposition: `attachment; filename="r?sum? 2026.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.txt`,
      },
      // @nestjs/common's FileTypeValidator on file-type 21: a text "PNG" is caught by its magic number
      fileTypes: { png: true, textClaimingPng: false },
    });
  });
});
