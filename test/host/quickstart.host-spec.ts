import { join } from 'node:path';
import { loginAs } from '../support/http';
import { RunningHost, startHost } from './support/host-process';
import { quickStartCode, REPO } from './support/host-workspace';

// README's quick start, compiled and run as written against the installed tarball.
describe('the README quick start', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost('quickstart');
  });

  afterAll(async () => {
    await host?.stop();
  });

  it('is the same code in README.md and docs/host-guide.md', () => {
    expect(quickStartCode(join(REPO, 'docs/host-guide.md'))).toBe(quickStartCode());
  });

  it('starts, prints the first admin password once, and that password logs in', async () => {
    expect(host.output().match(/Password \(shown only this once\)/g)).toHaveLength(1);
    const admin = await loginAs(host.baseUrl, 'admin', host.adminPassword);
    const me = await admin.console.user.getCurrentUserDetail();
    expect(me.data.user.metadata.name).toBe('admin');
    const users = await admin.console.user.listUsers({});
    expect(users.data.items.length).toBeGreaterThan(0);
  });
});
