import { Logger, NotFoundException } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { AUTHENTIK_ERROR_MAP, AuthentikErrorFilter } from './authentik-error.filter';

describe('AuthentikErrorFilter', () => {
  const sut = new AuthentikErrorFilter();

  it('maps every error code', () => {
    for (const code of Object.values(ErrorCode)) {
      const mapping = AUTHENTIK_ERROR_MAP[code];
      // An outage is the one server-side answer: DRF's 503.
      expect(code === ErrorCode.ServiceUnavailable ? mapping.status === 503 : mapping.status >= 400 && mapping.status < 500).toBeTruthy();
    }
  });

  it('puts a plain 400 under non_field_errors as a string', () => {
    const res = sut.toResponse(new DomainError(ErrorCode.BadRequest, 'User does not have an email address set.'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ non_field_errors: 'User does not have an email address set.' });
  });

  it('reports field errors under their fields as lists', () => {
    const res = sut.toResponse(new DomainError(ErrorCode.BadRequest, 'x', { fields: { email_stage: ['This field is required.'] } }));
    expect(res.body).toEqual({ email_stage: ['This field is required.'] });
  });

  it("uses DRF's wording for 401 and 403, with a Bearer challenge on 401", () => {
    const unauthenticated = sut.toResponse(new DomainError(ErrorCode.Unauthenticated, 'Full authentication is required to access this resource.'));
    expect(unauthenticated).toEqual({
      status: 401,
      body: { detail: 'Authentication credentials were not provided.' },
      headers: { 'WWW-Authenticate': 'Bearer realm="authentik"' },
    });
    expect(sut.toResponse(new DomainError(ErrorCode.Forbidden, 'Access Denied')).body).toEqual({ detail: 'You do not have permission to perform this action.' });
  });

  it('throttles like DRF: 429 with the seconds in the detail and Retry-After', () => {
    const res = sut.toResponse(new DomainError(ErrorCode.RateLimited, 'API rate limit exceeded, please try again later.', { retryAfterSeconds: 42 }));
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ detail: 'Request was throttled. Expected available in 42 seconds.' });
    expect(res.headers['Retry-After']).toBe('42');
  });

  it('turns an unknown route into 404 {detail} and an unknown error into a bare 500', () => {
    expect(sut.toResponse(new NotFoundException('Cannot GET /api/v3/x'))).toEqual({ status: 404, body: { detail: 'Not found.' }, headers: {} });
    Logger.overrideLogger(false); // the cause is logged on purpose; keep the test output clean
    const crash = sut.toResponse(new Error('SELECT password_hash FROM users failed at /srv/app.js:1'));
    Logger.overrideLogger(['log', 'error', 'warn']);
    expect(crash.status).toBe(500);
    expect(crash.body).toEqual({ detail: 'A server error occurred.' });
  });

  it("logs an unknown error's cause with the request id, so the 500 can be traced", () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      sut.toResponse(new Error('connection reset'), { id: 'req-42' });
      expect(logged).toHaveBeenCalledWith('Error: connection reset (request req-42)', expect.stringContaining('connection reset'));
    } finally {
      logged.mockRestore();
    }
  });
});
