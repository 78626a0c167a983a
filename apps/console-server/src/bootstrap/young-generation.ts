import { setFlagsFromString } from 'node:v8';
import { operatorSetV8Flag } from './operator-v8-flags';

/** V8's own growth factor of the young generation (`--semi-space-growth-factor`, default 2). */
const V8_DEFAULT_GROWTH_FACTOR = 2;

/** Whether the operator chose a young-generation setting of their own (command line or NODE_OPTIONS). */
export function operatorSetYoungGeneration(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return operatorSetV8Flag(['semi-space-growth-factor', 'max-semi-space-size', 'min-semi-space-size'], execArgv, nodeOptions);
}

/**
 * Keeps V8's young generation at its starting size while the server boots, and returns the
 * function that gives V8 back its default growth once the server is listening.
 *
 * Why: boot creates tens of megabytes of long-lived objects (modules, metadata, entity schemas)
 * in one burst. V8 answers such a burst by doubling the young generation up to 2 × 16 MB and
 * keeps it until its memory reducer runs, about 17 s into a quiet server. Measured on the built
 * server: ≈ 20 MB more resident memory for those first seconds, for nothing (boot's survivors
 * are promoted either way, and boot took as long: 1.1–1.3 s both ways). After boot the default
 * growth applies, so under load the young generation grows as it always did and throughput is
 * the same. The growth factor is read by V8 each time it grows the young generation, which is
 * why changing it at run time takes effect. An operator who set any young-generation flag keeps
 * exactly what they set: nothing is changed then.
 */
export function holdYoungGenerationWhileBooting(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): () => void {
  if (operatorSetYoungGeneration(execArgv, nodeOptions)) {
    return () => undefined;
  }
  setFlagsFromString('--semi-space-growth-factor=1');
  let released = false;
  return () => {
    if (!released) {
      released = true;
      setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH_FACTOR}`);
    }
  };
}
