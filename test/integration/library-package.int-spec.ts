import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const libRoot = join(__dirname, '../../libs/console-users');

/** Every package the library's shipped code imports (tests and specs excluded). */
function importedPackages(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      importedPackages(path, found);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'".][^'"]*)['"]|^\s*import\s+['"]([^'".][^'"]*)['"]|\brequire\(\s*['"]([^'".][^'"]*)['"]\s*\)/gm)) {
        const specifier = (match[1] ?? match[2] ?? match[3])!;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!name.startsWith('node:') && !builtinModules.includes(name)) {
          found.add(name);
        }
      }
    }
  }
  return found;
}

describe('the library package (libs/console-users/package.json)', () => {
  const manifest = JSON.parse(readFileSync(join(libRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);

  it('declares every package its code imports (a host installs nothing else)', () => {
    const imported = [...importedPackages(join(libRoot, 'src'))].sort();
    expect(imported.length).toBeGreaterThan(10);
    expect(imported.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('shares the framework with the host as peers, never as own copies', () => {
    for (const shared of ['@nestjs/common', '@nestjs/core', '@nestjs/typeorm', 'typeorm', '@nestjs/passport', 'passport', 'reflect-metadata', 'rxjs']) {
      expect(manifest.peerDependencies).toHaveProperty([shared]);
      expect(manifest.dependencies).not.toHaveProperty([shared]);
    }
  });
});
