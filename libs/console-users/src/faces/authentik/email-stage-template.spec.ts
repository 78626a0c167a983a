import { AUTHENTIK_RECOVERY_TEMPLATE, toAuthentikTemplate, toMailTemplate } from './email-stage-template';

describe('authentik email-stage template names', () => {
  it("stores authentik's stock recovery template as our recovery-link mail and answers with authentik's name", () => {
    expect(toMailTemplate(AUTHENTIK_RECOVERY_TEMPLATE)).toBe('recovery-link');
    expect(toAuthentikTemplate('recovery-link')).toBe(AUTHENTIK_RECOVERY_TEMPLATE);
  });

  it('passes our own mail template names through both ways, and leaves an absent name absent', () => {
    expect(toMailTemplate('account-notice')).toBe('account-notice');
    expect(toAuthentikTemplate('account-notice')).toBe('account-notice');
    expect(toMailTemplate(undefined)).toBe(undefined);
  });
});
