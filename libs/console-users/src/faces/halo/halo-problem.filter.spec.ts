import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ArgumentsHost,
  BadRequestException,
  ForbiddenException,
  Logger,
  LoggerService,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { ANONYMOUS, userPrincipal } from '../../auth/principal';
import type { ConsoleRequest } from '../../http/http-types';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { HALO_ERROR_MAP, HaloProblemFilter } from './halo-problem.filter';

const GENERIC_500 = 'Something went wrong, please try again later.';

function request(extra: Partial<ConsoleRequest> = {}): ConsoleRequest {
  return {
    method: 'GET',
    url: '/apis/api.console.halo.run/v1alpha1/users/bob?x=1',
    headers: { authorization: 'Bearer pat_secret-token-value', cookie: 'SESSION=secret-session' },
    id: 'req-42',
    ...extra,
  };
}

/** Records what the filter logs, so a test can check that nothing of the request gets there. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(...args: unknown[]): void {
    this.lines.push(args.map(String).join(' '));
  }
  error(...args: unknown[]): void {
    this.lines.push(args.map(String).join(' '));
  }
  warn(...args: unknown[]): void {
    this.lines.push(args.map(String).join(' '));
  }
}

describe('HaloProblemFilter', () => {
  let sut: HaloProblemFilter;
  let logger: RecordingLogger;

  beforeEach(() => {
    logger = new RecordingLogger();
    Logger.overrideLogger(logger);
    sut = new HaloProblemFilter();
  });

  afterEach(() => {
    Logger.overrideLogger(new Logger());
  });

  describe('toProblem', () => {
    it("builds Halo's problem from a domain error: every field of contract §1.3", () => {
      const before = Date.now();
      const { problem, headers } = sut.toProblem(new DomainError(ErrorCode.UserNotFound, 'User bob was not found'), request());
      assert.deepEqual(Object.keys(problem).sort(), ['detail', 'instance', 'requestId', 'status', 'timestamp', 'title', 'type']);
      assert.equal(problem.type, 'about:blank');
      assert.equal(problem.title, 'Not Found');
      assert.equal(problem.status, 404);
      assert.equal(problem.detail, 'User bob was not found');
      assert.equal(problem.instance, '/apis/api.console.halo.run/v1alpha1/users/bob?x=1');
      assert.equal(problem.requestId, 'req-42');
      assert.ok(Date.parse(problem.timestamp) >= before - 1000);
      assert.match(problem.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(headers, {});
    });

    it('maps every error code to its status, title and type', () => {
      for (const code of Object.values(ErrorCode)) {
        const { problem } = sut.toProblem(new DomainError(code, `detail of ${code}`), request());
        const mapping: { status: number; title: string; type?: string } = HALO_ERROR_MAP[code];
        assert.equal(problem.status, mapping.status, code);
        assert.equal(problem.title, mapping.title, code);
        assert.equal(problem.type, mapping.type ?? 'about:blank', code);
        assert.equal(problem.detail, `detail of ${code}`, code);
      }
    });

    it('uses the Halo types for credentials, rate limits and conflicts', () => {
      const type = (code: ErrorCode) => sut.toProblem(new DomainError(code, 'x'), request()).problem.type;
      assert.equal(type(ErrorCode.InvalidCredentials), 'https://halo.run/probs/invalid-credential');
      assert.equal(type(ErrorCode.RateLimited), 'https://halo.run/probs/request-not-permitted');
      assert.equal(type(ErrorCode.Conflict), 'https://halo.run/probs/conflict');
    });

    it('lets an error override title and type', () => {
      const { problem } = sut.toProblem(
        new DomainError(ErrorCode.BadRequest, 'taken', { title: 'Duplicate Name Error', type: 'https://example.test/dup' }),
        request(),
      );
      assert.equal(problem.title, 'Duplicate Name Error');
      assert.equal(problem.type, 'https://example.test/dup');
      assert.equal(problem.status, 400);
    });

    it('adds Retry-After to rate limits', () => {
      const { problem, headers } = sut.toProblem(new DomainError(ErrorCode.RateLimited, 'slow down', { retryAfterSeconds: 42 }), request());
      assert.equal(problem.status, 429);
      assert.deepEqual(headers, { 'Retry-After': '42' });
    });

    it('challenges anonymous callers with the console realm and bad tokens with invalid_token', () => {
      assert.deepEqual(sut.toProblem(new DomainError(ErrorCode.Unauthenticated, 'log in'), request()).headers, {
        'WWW-Authenticate': 'FormLogin realm="console"',
      });
      const bearer = sut.toProblem(new DomainError(ErrorCode.InvalidToken, 'The access token is invalid.'), request()).headers;
      assert.match(bearer['WWW-Authenticate']!, /^Bearer error="invalid_token"/);
    });

    it('says insufficient_scope on 403 only to token callers', () => {
      const forbidden = new DomainError(ErrorCode.Forbidden, 'Access Denied');
      const viaPat = userPrincipal({ id: 1, name: 'bob' }, [], [], 'pat', { patName: 'pat-1' });
      const viaSession = userPrincipal({ id: 1, name: 'bob' }, [], [], 'session', { sessionId: 1 });
      assert.match(sut.toProblem(forbidden, request({ consolePrincipal: viaPat })).headers['WWW-Authenticate']!, /insufficient_scope/);
      assert.deepEqual(sut.toProblem(forbidden, request({ consolePrincipal: viaSession })).headers, {});
      assert.deepEqual(sut.toProblem(forbidden, request({ consolePrincipal: ANONYMOUS })).headers, {});
    });

    it("maps Nest's HttpExceptions with the reason phrase as title", () => {
      const notFound = sut.toProblem(new NotFoundException('Cannot GET /nowhere'), request()).problem;
      assert.deepEqual([notFound.status, notFound.title, notFound.detail], [404, 'Not Found', 'Cannot GET /nowhere']);
      const invalid = sut.toProblem(new BadRequestException(['name must not be empty', 'email must be an email']), request()).problem;
      assert.deepEqual([invalid.status, invalid.title, invalid.detail], [400, 'Bad Request', 'name must not be empty; email must be an email']);
      assert.equal(sut.toProblem(new PayloadTooLargeException(), request()).problem.status, 413);
      assert.equal(sut.toProblem(new ForbiddenException(), request()).problem.title, 'Forbidden');
    });

    it('maps 4xx errors of body parsers with a fixed detail, not theirs', () => {
      const parserError = (statusCode: number) =>
        Object.assign(new Error(`Unexpected token } in JSON at position 7: {"password":"hunter2"}`), { statusCode });
      const cases: [number, string, string][] = [
        [400, 'Bad Request', 'The request body could not be read.'],
        [413, 'Payload Too Large', 'The request body is too large.'],
        [415, 'Unsupported Media Type', 'The request body has an unsupported media type.'],
      ];
      for (const [status, title, detail] of cases) {
        const { problem } = sut.toProblem(parserError(status), request());
        assert.deepEqual([problem.status, problem.title, problem.detail], [status, title, detail]);
        assert.equal(JSON.stringify(problem).includes('hunter2'), false);
      }
    });

    it('turns anything else into a bare 500 that says nothing of the cause', () => {
      const secretive = [
        new Error('duplicate key value violates unique constraint "ux_users_name": password_hash=$argon2id$v=19$secret'),
        new TypeError("Cannot read properties of undefined (reading 'passwordHash')"),
        'a thrown string with a token pat_abcdef',
        Object.assign(new Error('upstream failed: pat_abcdef'), { statusCode: 502 }),
        null,
      ];
      for (const error of secretive) {
        const { problem, headers } = sut.toProblem(error, request());
        assert.equal(problem.status, 500);
        assert.equal(problem.title, 'Internal Server Error');
        assert.equal(problem.type, 'about:blank');
        assert.equal(problem.detail, GENERIC_500);
        assert.deepEqual(headers, {});
        const body = JSON.stringify(problem);
        for (const leak of ['argon2', 'password', 'pat_', 'constraint', 'undefined', 'upstream']) {
          assert.equal(body.includes(leak), false, `${leak} in ${body}`);
        }
      }
    });

    it('logs the cause of a 500 for operators, but nothing of the request', () => {
      sut.toProblem(new Error('database is locked'), request());
      const logged = logger.lines.join('\n');
      assert.match(logged, /database is locked/);
      for (const leak of ['secret-token-value', 'secret-session', 'SESSION']) {
        assert.equal(logged.includes(leak), false, leak);
      }
    });

    it('makes up a request id when the adapter has none', () => {
      const { problem } = sut.toProblem(new DomainError(ErrorCode.BadRequest, 'x'), request({ id: undefined }));
      assert.match(problem.requestId, /^[0-9a-f-]{36}$/);
    });

    it('prefers originalUrl (Express) for the instance', () => {
      const { problem } = sut.toProblem(new DomainError(ErrorCode.BadRequest, 'x'), request({ url: '/users', originalUrl: '/mounted/users' }));
      assert.equal(problem.instance, '/mounted/users');
    });
  });

  describe('catch', () => {
    function host(req: ConsoleRequest, res: object): ArgumentsHost {
      return { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
    }

    function recordingResponse(kind: 'fastify' | 'express') {
      const recorded = { status: 0, headers: {} as Record<string, unknown>, body: '' };
      const common = {
        header: (name: string, value: unknown) => {
          recorded.headers[name] = value;
        },
        send: (body: string) => {
          recorded.body = body;
        },
      };
      const response =
        kind === 'fastify'
          ? { ...common, code: (status: number) => (recorded.status = status) }
          : { ...common, status: (status: number) => (recorded.status = status) };
      return { response, recorded };
    }

    for (const kind of ['fastify', 'express'] as const) {
      it(`writes status, problem+json and no-store on a ${kind} response`, () => {
        const { response, recorded } = recordingResponse(kind);
        sut.catch(new DomainError(ErrorCode.RateLimited, 'slow down', { retryAfterSeconds: 5 }), host(request(), response));
        assert.equal(recorded.status, 429);
        assert.equal(recorded.headers['Content-Type'], 'application/problem+json');
        assert.equal(recorded.headers['Cache-Control'], 'no-store');
        assert.equal(recorded.headers['Retry-After'], '5');
        const body = JSON.parse(recorded.body) as Record<string, unknown>;
        assert.equal(body.status, 429);
        assert.equal(body.detail, 'slow down');
      });
    }
  });
});
