import { authentikPathRewrite } from './authentik-paths';

describe('authentikPathRewrite', () => {
  const sut = authentikPathRewrite;

  it('drops the trailing slash of authentik paths, keeping the query', () => {
    expect(sut('/api/v3/core/users/')).toBe('/api/v3/core/users');
    expect(sut('/api/v3/core/users/42/recovery_email/?email_stage=abc')).toBe('/api/v3/core/users/42/recovery_email?email_stage=abc');
    expect(sut('/api/v3/stages/email//')).toBe('/api/v3/stages/email');
  });

  it('leaves paths without a trailing slash alone', () => {
    expect(sut('/api/v3/core/users?page=2')).toBe('/api/v3/core/users?page=2');
  });

  it('leaves other faces alone, whatever their slashes', () => {
    for (const url of ['/apis/api.console.halo.run/v1alpha1/users/', '/recovery/', '/', '/v2/users/1/email/', '/api/v2/common/send-verify-code/']) {
      expect(sut(url)).toBe(url);
    }
  });

  it('does not read a slash in the query as the end of the path', () => {
    expect(sut('/api/v3/core/users?next=/x/')).toBe('/api/v3/core/users?next=/x/');
  });
});
