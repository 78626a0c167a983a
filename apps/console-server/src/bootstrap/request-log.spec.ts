import { redactUrl as sut } from './request-log';

describe('redactUrl', () => {
  it('leaves URLs without a query alone', () => {
    expect(sut('/apis/api.console.halo.run/v1alpha1/users/-')).toBe('/apis/api.console.halo.run/v1alpha1/users/-');
  });

  it('replaces the values of secret parameters, whatever their case', () => {
    const redacted = sut('/recovery?token=abc123&code=654321&Password=hunter2&page=2');
    expect(redacted.includes('abc123')).toBe(false);
    expect(redacted.includes('654321')).toBe(false);
    expect(redacted.includes('hunter2')).toBe(false);
    expect(redacted).toMatch(/page=2/);
    expect(redacted).toMatch(/token=%5BRedacted%5D/);
  });

  it('redacts every repetition of a parameter', () => {
    const redacted = sut('/x?token=one&token=two');
    expect(redacted.includes('one')).toBe(false);
    expect(redacted.includes('two')).toBe(false);
  });
});
