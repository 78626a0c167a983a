import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads `.env` from the working directory into `process.env`, if there is one, before the
 * configuration is parsed. A variable already set in the environment wins over the file (Node's
 * `process.loadEnvFile` never overwrites), so `PORT=9000 npm start` beats `PORT=8090` in `.env`.
 * Returns the file read, for the boot log.
 */
export function loadEnvFile(cwd: string = process.cwd()): string | undefined {
  const file = join(cwd, '.env');
  if (!existsSync(file)) {
    return undefined;
  }
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return file;
}
