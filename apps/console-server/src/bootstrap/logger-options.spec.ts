import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrl as sut } from './logger-options';

describe('redactUrl', () => {
  it('leaves URLs without a query alone', () => {
    assert.equal(sut('/apis/api.console.halo.run/v1alpha1/users/-'), '/apis/api.console.halo.run/v1alpha1/users/-');
  });

  it('replaces the values of secret parameters, whatever their case', () => {
    const redacted = sut('/recovery?token=abc123&code=654321&Password=hunter2&page=2');
    assert.equal(redacted.includes('abc123'), false);
    assert.equal(redacted.includes('654321'), false);
    assert.equal(redacted.includes('hunter2'), false);
    assert.match(redacted, /page=2/);
    assert.match(redacted, /token=%5BRedacted%5D/);
  });

  it('redacts every repetition of a parameter', () => {
    const redacted = sut('/x?token=one&token=two');
    assert.equal(redacted.includes('one'), false);
    assert.equal(redacted.includes('two'), false);
  });
});
