// Jest globalTeardown of the `host` project: removes the workspace globalSetup made.
import { rmSync } from 'node:fs';
import { HOSTS_DIR_ENV } from './host-workspace';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env[HOSTS_DIR_ENV];
  // KEEP_HOST_WORKSPACE=1 keeps it for a look at the installed package and the host apps.
  if (dir && process.env.KEEP_HOST_WORKSPACE !== '1') {
    rmSync(dir, { recursive: true, force: true });
  }
}
