// Jest globalSetup of the `host` project: packs the library once per run and installs it into a
// fresh workspace with two host apps (see host-workspace.ts); the test files boot those apps.
import { HOSTS_DIR_ENV, prepareHostWorkspace } from './host-workspace';

export default async function globalSetup(): Promise<void> {
  const { dir, tarball } = prepareHostWorkspace();
  // Workers start after globalSetup and inherit this environment.
  process.env[HOSTS_DIR_ENV] = dir;
  process.env.CONSOLE_USERS_TARBALL = tarball;
}
