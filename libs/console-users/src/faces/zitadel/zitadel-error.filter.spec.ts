import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { rateLimitedError } from '../../throttling/rate-limited.error';
import { ZITADEL_ERROR_DETAIL_TYPE, ZITADEL_ERROR_MAP, ZitadelErrorFilter } from './zitadel-error.filter';
import { GrpcCode, zitadelErrors } from './zitadel-errors';

const sut = new ZitadelErrorFilter();

describe('ZitadelErrorFilter', () => {
  it('maps every domain error code to a gRPC code and the gateway status of that code', () => {
    const expected: Partial<Record<GrpcCode, number>> = { 3: 400, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 14: 503, 16: 401 };
    for (const code of Object.values(ErrorCode)) {
      const { status, body } = sut.toResponse(new DomainError(code, 'safe text'));
      const mapping = ZITADEL_ERROR_MAP[code];
      expect(body.code).toBe(mapping.grpc);
      expect(status).toBe('http' in mapping ? mapping.http : expected[mapping.grpc]);
    }
  });

  it("renders ZITADEL's body: message with the id, one ErrorDetail with id and key", () => {
    const { status, body } = sut.toResponse(new DomainError(ErrorCode.VerificationFailed, 'The code is invalid.'));
    expect(status).toBe(400);
    expect(body).toEqual({
      code: 3,
      message: 'The code is invalid. (COMMAND-eis9R)',
      details: [{ '@type': ZITADEL_ERROR_DETAIL_TYPE, id: 'COMMAND-eis9R', message: 'Errors.User.Code.Invalid' }],
    });
  });

  it("uses a face error's own code, id and key over the core code's", () => {
    const { status, body } = sut.toResponse(zitadelErrors.codeEmpty());
    expect(status).toBe(400);
    expect(body.code).toBe(GrpcCode.FailedPrecondition);
    expect(body.details[0]!.message).toBe('Errors.User.Code.Empty');
    const template = sut.toResponse(zitadelErrors.invalidUrlTemplate('only {{.Code}}'));
    expect(template.body.details[0]!.id).toBe('DOMAIN-oGh5e');
    expect(template.body.details[0]!.message).toBe('Errors.User.InvalidURLTemplate');
  });

  it('429 ResourceExhausted with Retry-After for rate limits; WWW-Authenticate on 401', () => {
    const now = new Date(0);
    const limited = sut.toResponse(rateLimitedError(new Date(42_000), now));
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(8);
    expect(limited.headers['Retry-After']).toBe('42');
    const anonymous = sut.toResponse(new DomainError(ErrorCode.Unauthenticated, 'Full authentication is required.'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('turns HTTP-layer errors (pipes, routing, body parser) into the matching gRPC code', () => {
    expect(sut.toResponse(new BadRequestException(['a must be a string'])).body.code).toBe(3);
    const missing = sut.toResponse(new NotFoundException('Cannot POST /v2/nope'));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(5);
    const parser = sut.toResponse(Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 }));
    expect(parser.status).toBe(400);
    expect(parser.body.message.includes('Unexpected')).toBe(false); // parser internals are not echoed
    expect(sut.toResponse(Object.assign(new Error('too big'), { statusCode: 413 })).status).toBe(413);
  });

  it('unknown errors: a bare 500 Internal that says nothing about the cause', () => {
    Logger.overrideLogger(false); // the filter logs the cause; keep test output clean
    try {
      const { status, body } = sut.toResponse(new Error('SQLITE_ERROR: no such table: users at /srv/app.js:1'));
      expect(status).toBe(500);
      expect(body.code).toBe(13);
      expect(JSON.stringify(body).includes('SQLITE')).toBe(false);
      expect(JSON.stringify(body).includes('/srv')).toBe(false);
    } finally {
      Logger.overrideLogger(['log', 'error', 'warn']);
    }
  });
});
