import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';
import { DependencyUnavailableError, isDependencyOutage, serviceUnavailableOf } from './service-unavailable';

describe('serviceUnavailableOf', () => {
  const sut = serviceUnavailableOf;

  it('turns a refused or dropped database connection into a 503 domain error with a Retry-After', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      new Error('Query runner already released. Cannot run queries anymore.'),
    ]) {
      const outage = sut(error);
      expect(outage).toBeInstanceOf(DomainError);
      expect(outage!.code).toBe(ErrorCode.ServiceUnavailable);
      expect(outage!.options.retryAfterSeconds).toBe(5);
      expect(outage!.message).not.toMatch(/ECONN|5432|Query/); // no internals
    }
  });

  it('looks inside TypeORM query errors for the SQLSTATE (shutdown, statement timeout, class 08)', () => {
    for (const code of ['57P01', '57014', '08006', '53300']) {
      const wrapped = new QueryFailedError('SELECT 1', [], Object.assign(new Error('boom'), { code }));
      expect(sut(wrapped)?.code).toBe(ErrorCode.ServiceUnavailable);
    }
  });

  it('recognises ioredis failures while Redis is away', () => {
    expect(isDependencyOutage(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isDependencyOutage(new Error('Command timed out'))).toBe(true);
    expect(isDependencyOutage(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
  });

  it("uses the breaker's own Retry-After", () => {
    expect(sut(new DependencyUnavailableError('database', 'open', 2.2))?.options.retryAfterSeconds).toBe(3);
  });

  it('leaves bugs, bad statements and domain errors alone', () => {
    expect(sut(new TypeError('x is undefined'))).toBeUndefined();
    expect(sut(new QueryFailedError('SELECT', [], Object.assign(new Error('syntax error'), { code: '42601' })))).toBeUndefined();
    expect(sut(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeUndefined();
    expect(sut(new DomainError(ErrorCode.RateLimited, 'slow down'))).toBeUndefined();
    expect(sut(undefined)).toBeUndefined();
  });
});
