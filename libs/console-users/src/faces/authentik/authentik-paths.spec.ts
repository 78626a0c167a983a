import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authentikPathRewrite } from './authentik-paths';

describe('authentikPathRewrite', () => {
  const sut = authentikPathRewrite;

  it('drops the trailing slash of authentik paths, keeping the query', () => {
    assert.equal(sut('/api/v3/core/users/'), '/api/v3/core/users');
    assert.equal(sut('/api/v3/core/users/42/recovery_email/?email_stage=abc'), '/api/v3/core/users/42/recovery_email?email_stage=abc');
    assert.equal(sut('/api/v3/stages/email//'), '/api/v3/stages/email');
  });

  it('leaves paths without a trailing slash alone', () => {
    assert.equal(sut('/api/v3/core/users?page=2'), '/api/v3/core/users?page=2');
  });

  it('leaves other faces alone, whatever their slashes', () => {
    for (const url of ['/apis/api.console.halo.run/v1alpha1/users/', '/recovery/', '/', '/v2/users/1/email/', '/api/v2/common/send-verify-code/']) {
      assert.equal(sut(url), url);
    }
  });

  it('does not read a slash in the query as the end of the path', () => {
    assert.equal(sut('/api/v3/core/users?next=/x/'), '/api/v3/core/users?next=/x/');
  });
});
