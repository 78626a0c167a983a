import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from './app-config';

describe('public code settings in the environment', () => {
  const sut = (env: Record<string, string>) => parseConfig({ NODE_ENV: 'test', ...env }, '/srv');

  it('keeps existence errors off unless PUBLIC_EXISTENCE_ERRORS is true', () => {
    assert.equal(sut({}).publicExistenceErrors, false);
    assert.equal(sut({ PUBLIC_EXISTENCE_ERRORS: 'true' }).publicExistenceErrors, true);
    assert.equal(sut({ PUBLIC_EXISTENCE_ERRORS: 'off' }).publicExistenceErrors, false);
  });

  it('refuses a value that is not a boolean, naming the variable', () => {
    assert.throws(() => sut({ PUBLIC_EXISTENCE_ERRORS: 'maybe' }), (e: unknown) => e instanceof ConfigError && e.variable === 'PUBLIC_EXISTENCE_ERRORS');
  });

  it('takes SMS_WEBHOOK_URL as an http(s) URL only', () => {
    assert.equal(sut({ SMS_WEBHOOK_URL: 'https://sms.example.org/send' }).smsWebhookUrl, 'https://sms.example.org/send');
    assert.throws(() => sut({ SMS_WEBHOOK_URL: 'ftp://sms.example.org' }), (e: unknown) => e instanceof ConfigError && e.variable === 'SMS_WEBHOOK_URL');
  });
});
