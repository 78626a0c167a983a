import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { resolveOptions } from '../console-users.options';
import type { ConsoleRequest } from '../http/http-types';
import { PasswordHashingBusyError } from '../users/bounded-password-hasher';
import { AnqiCmsErrorFilter } from './anqicms/anqicms-error.filter';
import { AuthentikErrorFilter } from './authentik/authentik-error.filter';
import { FresnsErrorFilter } from './fresns/fresns-error.filter';
import { HaloProblemFilter } from './halo/halo-problem.filter';
import { ZitadelErrorFilter } from './zitadel/zitadel-error.filter';

const options = resolveOptions({ publicUrl: 'http://console.test', appSecret: 'k'.repeat(32), dataDir: '/tmp' });

/** A Fastify-like reply that records what a filter wrote. */
function recordingResponse() {
  const recorded = { status: 0, headers: {} as Record<string, unknown>, body: '' };
  const response = {
    header: (name: string, value: unknown) => void (recorded.headers[name.toLowerCase()] = value),
    code: (status: number) => void (recorded.status = status),
    send: (body: string) => void (recorded.body = body),
  };
  return { response, recorded };
}

function render(filter: ExceptionFilter, url: string, body: unknown = { password: 'secret-password' }) {
  const request = { method: 'POST', url, headers: { 'content-type': 'application/json' }, body, query: {} } as unknown as ConsoleRequest;
  const { response, recorded } = recordingResponse();
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  filter.catch(new PasswordHashingBusyError(), host);
  return { ...recorded, json: JSON.parse(recorded.body) as Record<string, unknown> };
}

// A full hashing queue is an overload, not a bug: every face answers the 503 of an unavailable
// service with Retry-After: 1, in its own format, never a 500.
describe('a full password hashing queue in every face', () => {
  it('Halo: a Service Unavailable problem', () => {
    const res = render(new HaloProblemFilter(), '/login');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json).toMatchObject({ type: 'about:blank', title: 'Service Unavailable', status: 503, instance: '/login' });
  });

  it('authentik: DRF detail', () => {
    const res = render(new AuthentikErrorFilter(), '/api/v3/core/users/1/set_password/');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(Object.keys(res.json)).toEqual(['detail']);
  });

  it('ZITADEL: gRPC Unavailable', () => {
    const res = render(new ZitadelErrorFilter(), '/v2/users/1/password');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json).toMatchObject({ code: 14 });
  });

  it('Fresns: the envelope with code 503, over HTTP 503', () => {
    const res = render(new FresnsErrorFilter(), '/api/v2/account/login');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json).toMatchObject({ code: 503, data: null });
  });

  it('AnqiCMS: the envelope over HTTP 503', () => {
    const res = render(new AnqiCmsErrorFilter(options), '/api/password/reset');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json).toHaveProperty('msg');
  });

  it('never echoes the password', () => {
    for (const filter of [new HaloProblemFilter(), new AuthentikErrorFilter(), new ZitadelErrorFilter(), new FresnsErrorFilter(), new AnqiCmsErrorFilter(options)]) {
      expect(render(filter, '/login').body).not.toContain('secret-password');
    }
  });
});
