import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
      assert.equal(body.code, mapping.grpc, code);
      assert.equal(status, 'http' in mapping ? mapping.http : expected[mapping.grpc], code);
    }
  });

  it("renders ZITADEL's body: message with the id, one ErrorDetail with id and key", () => {
    const { status, body } = sut.toResponse(new DomainError(ErrorCode.VerificationFailed, 'The code is invalid.'));
    assert.equal(status, 400);
    assert.deepEqual(body, {
      code: 3,
      message: 'The code is invalid. (COMMAND-eis9R)',
      details: [{ '@type': ZITADEL_ERROR_DETAIL_TYPE, id: 'COMMAND-eis9R', message: 'Errors.User.Code.Invalid' }],
    });
  });

  it("uses a face error's own code, id and key over the core code's", () => {
    const { status, body } = sut.toResponse(zitadelErrors.codeEmpty());
    assert.equal(status, 400);
    assert.equal(body.code, GrpcCode.FailedPrecondition);
    assert.equal(body.details[0]!.message, 'Errors.User.Code.Empty');
    const template = sut.toResponse(zitadelErrors.invalidUrlTemplate('only {{.Code}}'));
    assert.equal(template.body.details[0]!.id, 'DOMAIN-oGh5e');
    assert.equal(template.body.details[0]!.message, 'Errors.User.InvalidURLTemplate');
  });

  it('429 ResourceExhausted with Retry-After for rate limits; WWW-Authenticate on 401', () => {
    const now = new Date(0);
    const limited = sut.toResponse(rateLimitedError(new Date(42_000), now));
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 8);
    assert.equal(limited.headers['Retry-After'], '42');
    const anonymous = sut.toResponse(new DomainError(ErrorCode.Unauthenticated, 'Full authentication is required.'));
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers['WWW-Authenticate'], 'Bearer');
  });

  it('turns HTTP-layer errors (pipes, routing, body parser) into the matching gRPC code', () => {
    assert.equal(sut.toResponse(new BadRequestException(['a must be a string'])).body.code, 3);
    const missing = sut.toResponse(new NotFoundException('Cannot POST /v2/nope'));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 5);
    const parser = sut.toResponse(Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 }));
    assert.equal(parser.status, 400);
    assert.equal(parser.body.message.includes('Unexpected'), false, 'parser internals are not echoed');
    assert.equal(sut.toResponse(Object.assign(new Error('too big'), { statusCode: 413 })).status, 413);
  });

  it('unknown errors: a bare 500 Internal that says nothing about the cause', () => {
    Logger.overrideLogger(false); // the filter logs the cause; keep test output clean
    try {
      const { status, body } = sut.toResponse(new Error('SQLITE_ERROR: no such table: users at /srv/app.js:1'));
      assert.equal(status, 500);
      assert.equal(body.code, 13);
      assert.equal(JSON.stringify(body).includes('SQLITE'), false);
      assert.equal(JSON.stringify(body).includes('/srv'), false);
    } finally {
      Logger.overrideLogger(['log', 'error', 'warn']);
    }
  });
});
