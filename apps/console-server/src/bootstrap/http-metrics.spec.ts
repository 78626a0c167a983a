import { faceOf } from './http-metrics';

describe('faceOf', () => {
  it.each([
    ['/apis/api.console.halo.run/v1alpha1/users/:name', 'halo'],
    ['/apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens', 'halo'],
    ['/v2/users/:userId/email/send', 'zitadel'],
    ['/api/v3/core/users/:id/recovery_email', 'authentik'],
    ['/api/v2/common/send-verify-code', 'fresns'],
    ['/api/verify/email', 'anqicms'],
    ['/login', 'core'],
    ['/actuator/prometheus', 'core'],
    ['/recovery', 'core'],
    ['/console/*', 'console-ui'],
  ])('%s belongs to %s', (uri, face) => {
    expect(faceOf(uri)).toBe(face);
  });

  it('does not take a path that merely starts with the same letters as a prefix', () => {
    expect(faceOf('/v2users')).toBe('core');
    expect(faceOf('/consoleish')).toBe('core');
  });
});
