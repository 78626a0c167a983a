import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hostsDir } from './support/host-process';

/** Every `<name>/package.json` of one package name anywhere under `dir`'s node_modules. */
function copiesOf(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      const scoped = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((inner) => `${entry}/${inner}`) : [entry];
      for (const pkg of scoped) {
        const path = join(modules, pkg);
        if (pkg === name) found.push(path);
        walk(join(path, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return found;
}

describe('the npm package', () => {
  const tarball = process.env.CONSOLE_USERS_TARBALL!;

  it('installs with one copy of @nestjs/core and @nestjs/common in the host (the peers are the host’s)', () => {
    expect(copiesOf(hostsDir(), '@nestjs/core')).toHaveLength(1);
    expect(copiesOf(hostsDir(), '@nestjs/common')).toHaveLength(1);
    expect(copiesOf(hostsDir(), 'passport')).toHaveLength(1);
    expect(copiesOf(hostsDir(), 'typeorm')).toHaveLength(1);
  });

  it('sends mail with nodemailer itself and ships CommonJS, .d.ts, templates and migrations, no tests', () => {
    const root = join(hostsDir(), 'node_modules/nestjs-console-users');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.dependencies.nodemailer).toBeTruthy();
    expect(manifest.dependencies['@nestjs-modules/mailer']).toBeUndefined(); // and none of its hidden needs (lodash)
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(
      ['@nestjs/common', '@nestjs/core', '@nestjs/passport', '@nestjs/typeorm', 'class-transformer', 'class-validator', 'passport', 'reflect-metadata', 'rxjs', 'typeorm'].sort(),
    );
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).toContain('package/README.md'); // the host guide
    expect(files.some((f) => /^package\/dist\/notifications\/templates\/en\/.+\.hbs$/.test(f))).toBe(true);
    expect(files.some((f) => /^package\/dist\/recovery\/templates\/pages\//.test(f))).toBe(true);
    expect(files.some((f) => /^package\/dist\/database\/migrations\/\d+-.+\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => /\.spec\.|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(readFileSync(join(root, 'dist/index.js'), 'utf8')).toMatch(/exports\./); // CommonJS
    expect(statSync(tarball).size).toBeGreaterThan(0);
  });
});
