import { ConfigError, parseConfig } from './app-config';

describe('public code settings in the environment', () => {
  const sut = (env: Record<string, string>) => parseConfig({ NODE_ENV: 'test', ...env }, '/srv');

  it('keeps existence errors off unless PUBLIC_EXISTENCE_ERRORS is true', () => {
    expect(sut({}).publicExistenceErrors).toBe(false);
    expect(sut({ PUBLIC_EXISTENCE_ERRORS: 'true' }).publicExistenceErrors).toBe(true);
    expect(sut({ PUBLIC_EXISTENCE_ERRORS: 'off' }).publicExistenceErrors).toBe(false);
  });

  it('refuses a value that is not a boolean, naming the variable', () => {
    const boot = () => sut({ PUBLIC_EXISTENCE_ERRORS: 'maybe' });
    expect(boot).toThrow(ConfigError);
    expect(boot).toThrow(expect.objectContaining({ variable: 'PUBLIC_EXISTENCE_ERRORS' }));
  });

  it('takes SMS_WEBHOOK_URL as an http(s) URL only', () => {
    expect(sut({ SMS_WEBHOOK_URL: 'https://sms.example.org/send' }).smsWebhookUrl).toBe('https://sms.example.org/send');
    const boot = () => sut({ SMS_WEBHOOK_URL: 'ftp://sms.example.org' });
    expect(boot).toThrow(ConfigError);
    expect(boot).toThrow(expect.objectContaining({ variable: 'SMS_WEBHOOK_URL' }));
  });
});
