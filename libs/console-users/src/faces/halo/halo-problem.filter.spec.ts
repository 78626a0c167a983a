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
    it("builds Halo's problem from a domain error: every field Halo sends", () => {
      const before = Date.now();
      const { problem, headers } = sut.toProblem(new DomainError(ErrorCode.UserNotFound, 'User bob was not found'), request());
      expect(Object.keys(problem).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'timestamp', 'title', 'type']);
      expect(problem.type).toBe('about:blank');
      expect(problem.title).toBe('Not Found');
      expect(problem.status).toBe(404);
      expect(problem.detail).toBe('User bob was not found');
      expect(problem.instance).toBe('/apis/api.console.halo.run/v1alpha1/users/bob?x=1');
      expect(problem.requestId).toBe('req-42');
      expect(Date.parse(problem.timestamp) >= before - 1000).toBeTruthy();
      expect(problem.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(headers).toEqual({});
    });

    it('maps every error code to its status, title and type', () => {
      for (const code of Object.values(ErrorCode)) {
        const { problem } = sut.toProblem(new DomainError(code, `detail of ${code}`), request());
        const mapping: { status: number; title: string; type?: string } = HALO_ERROR_MAP[code];
        expect(problem.status).toBe(mapping.status);
        expect(problem.title).toBe(mapping.title);
        expect(problem.type).toBe(mapping.type ?? 'about:blank');
        expect(problem.detail).toBe(`detail of ${code}`);
      }
    });

    it('uses the Halo types for credentials, rate limits and conflicts', () => {
      const type = (code: ErrorCode) => sut.toProblem(new DomainError(code, 'x'), request()).problem.type;
      expect(type(ErrorCode.InvalidCredentials)).toBe('https://halo.run/probs/invalid-credential');
      expect(type(ErrorCode.RateLimited)).toBe('https://halo.run/probs/request-not-permitted');
      expect(type(ErrorCode.Conflict)).toBe('https://halo.run/probs/conflict');
    });

    it('lets an error override title and type', () => {
      const { problem } = sut.toProblem(
        new DomainError(ErrorCode.BadRequest, 'taken', { title: 'Duplicate Name Error', type: 'https://example.test/dup' }),
        request(),
      );
      expect(problem.title).toBe('Duplicate Name Error');
      expect(problem.type).toBe('https://example.test/dup');
      expect(problem.status).toBe(400);
    });

    it('adds Retry-After to rate limits', () => {
      const { problem, headers } = sut.toProblem(new DomainError(ErrorCode.RateLimited, 'slow down', { retryAfterSeconds: 42 }), request());
      expect(problem.status).toBe(429);
      expect(headers).toEqual({ 'Retry-After': '42' });
    });

    it('challenges anonymous callers with the console realm and bad tokens with invalid_token', () => {
      expect(sut.toProblem(new DomainError(ErrorCode.Unauthenticated, 'log in'), request()).headers).toEqual({
        'WWW-Authenticate': 'FormLogin realm="console"',
      });
      const bearer = sut.toProblem(new DomainError(ErrorCode.InvalidToken, 'The access token is invalid.'), request()).headers;
      expect(bearer['WWW-Authenticate']!).toMatch(/^Bearer error="invalid_token"/);
    });

    it('says insufficient_scope on 403 only to token callers', () => {
      const forbidden = new DomainError(ErrorCode.Forbidden, 'Access Denied');
      const viaPat = userPrincipal({ id: 1, name: 'bob' }, [], [], 'pat', { patName: 'pat-1' });
      const viaSession = userPrincipal({ id: 1, name: 'bob' }, [], [], 'session', { sessionId: 1 });
      expect(sut.toProblem(forbidden, request({ consolePrincipal: viaPat })).headers['WWW-Authenticate']!).toMatch(/insufficient_scope/);
      expect(sut.toProblem(forbidden, request({ consolePrincipal: viaSession })).headers).toEqual({});
      expect(sut.toProblem(forbidden, request({ consolePrincipal: ANONYMOUS })).headers).toEqual({});
    });

    it("maps Nest's HttpExceptions with the reason phrase as title", () => {
      const notFound = sut.toProblem(new NotFoundException('Cannot GET /nowhere'), request()).problem;
      expect([notFound.status, notFound.title, notFound.detail]).toEqual([404, 'Not Found', 'Cannot GET /nowhere']);
      const invalid = sut.toProblem(new BadRequestException(['name must not be empty', 'email must be an email']), request()).problem;
      expect([invalid.status, invalid.title, invalid.detail]).toEqual([400, 'Bad Request', 'name must not be empty; email must be an email']);
      expect(sut.toProblem(new PayloadTooLargeException(), request()).problem.status).toBe(413);
      expect(sut.toProblem(new ForbiddenException(), request()).problem.title).toBe('Forbidden');
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
        expect([problem.status, problem.title, problem.detail]).toEqual([status, title, detail]);
        expect(JSON.stringify(problem).includes('hunter2')).toBe(false);
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
        expect(problem.status).toBe(500);
        expect(problem.title).toBe('Internal Server Error');
        expect(problem.type).toBe('about:blank');
        expect(problem.detail).toBe(GENERIC_500);
        expect(headers).toEqual({});
        const body = JSON.stringify(problem);
        for (const leak of ['argon2', 'password', 'pat_', 'constraint', 'undefined', 'upstream']) {
          expect(body.includes(leak)).toBe(false);
        }
      }
    });

    it('logs the cause of a 500 for operators, but nothing of the request', () => {
      sut.toProblem(new Error('database is locked'), request());
      const logged = logger.lines.join('\n');
      expect(logged).toMatch(/database is locked/);
      for (const leak of ['secret-token-value', 'secret-session', 'SESSION']) {
        expect(logged.includes(leak)).toBe(false);
      }
    });

    it('makes up a request id when the adapter has none', () => {
      const { problem } = sut.toProblem(new DomainError(ErrorCode.BadRequest, 'x'), request({ id: undefined }));
      expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('prefers originalUrl (Express) for the instance', () => {
      const { problem } = sut.toProblem(new DomainError(ErrorCode.BadRequest, 'x'), request({ url: '/users', originalUrl: '/mounted/users' }));
      expect(problem.instance).toBe('/mounted/users');
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
        expect(recorded.status).toBe(429);
        expect(recorded.headers['Content-Type']).toBe('application/problem+json');
        expect(recorded.headers['Cache-Control']).toBe('no-store');
        expect(recorded.headers['Retry-After']).toBe('5');
        const body = JSON.parse(recorded.body) as Record<string, unknown>;
        expect(body.status).toBe(429);
        expect(body.detail).toBe('slow down');
      });
    }
  });
});
