import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const BUILT = join(__dirname, '..', '..', 'dist', 'apps', 'console-server', 'src', 'bootstrap', 'young-generation.js');

/**
 * Runs the built module in a fresh Node process (this test process's own heap has long grown),
 * allocating a boot-like burst of long-lived objects while held, then the same after release,
 * and prints the young generation's size (MB) after each.
 */
function youngGenerationSizes(extraArgs: string[] = []): { held: number; released: number } {
  const script = `
    const v8 = require('node:v8');
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const burst = (keep) => { for (let i = 0; i < 400000; i++) keep.push({ i, s: 'k' + i }); for (let i = 0; i < 1000000; i++) [i]; };
    const release = require(${JSON.stringify(BUILT)}).holdYoungGenerationWhileBooting();
    const kept = [];
    burst(kept);
    const held = newSpace();
    release();
    burst(kept);
    process.stdout.write(JSON.stringify({ held, released: newSpace() }));
  `;
  return JSON.parse(execFileSync(process.execPath, [...extraArgs, '-e', script], { encoding: 'utf8' })) as { held: number; released: number };
}

describe('holding the young generation while booting (built module, real V8)', () => {
  it('keeps it at its starting size during a burst, and lets it grow as usual once released', () => {
    const { held, released } = youngGenerationSizes();
    expect(held).toBeLessThanOrEqual(2);
    expect(released).toBeGreaterThanOrEqual(8);
  });

  it('changes nothing when the operator set a young-generation flag', () => {
    const { held } = youngGenerationSizes(['--semi-space-growth-factor=2']);
    expect(held).toBeGreaterThanOrEqual(8);
  });
});
