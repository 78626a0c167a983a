import pino from 'pino';
import { redactUrl as sut, RequestLine, requestLineWriter } from './request-log';

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

describe('requestLineWriter', () => {
  /** A pino as the server builds it, writing into `lines`, with a fixed clock so lines compare byte for byte. */
  function capturingPino(lines: string[]): pino.Logger {
    return pino(
      { level: 'info', base: { pid: 4242, service: 'console-users' }, timestamp: () => ',"time":1796627478155' },
      { write: (line: string) => void lines.push(line) },
    );
  }

  const cases: Array<[string, RequestLine]> = [
    ['a plain read', { id: 'f5c284ef-c1bb-46ad-9320-75db038dfea4', method: 'GET', url: '/apis/api.console.halo.run/v1alpha1/users/-', remoteAddress: '127.0.0.1', statusCode: 200, responseTime: 0 }],
    ['quotes, backslashes and control characters', { id: 'a"b\\c', method: 'POST', url: '/x?q="a\\b"\u0001\n\t</script>', remoteAddress: '::ffff:10.0.0.1', statusCode: 400, responseTime: 12 }],
    ['non-ASCII and a lone surrogate', { id: 'ü-1', method: 'GET', url: '/users/Zoë/🙂/\ud800', remoteAddress: '::1', statusCode: 404, responseTime: 3 }],
    ['a socket already gone (no address)', { id: 'r1', method: 'DELETE', url: '/', remoteAddress: undefined, statusCode: 500, responseTime: 1500 }],
  ];

  it.each(cases)('writes what pino itself writes: %s', (_name, line) => {
    const byPino: string[] = [];
    const { remoteAddress, statusCode, responseTime, ...req } = line;
    capturingPino(byPino).info({ req: { ...req, remoteAddress }, res: { statusCode }, responseTime }, 'request completed');
    const byHand: string[] = [];
    requestLineWriter(capturingPino(byHand))(line);
    expect(byHand).toEqual(byPino);
    expect(JSON.parse(byHand[0]!)).toMatchObject({ level: 30, msg: 'request completed', req: { url: line.url } });
  });
});
