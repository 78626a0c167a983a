import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { resolveOptions } from '../console-users.options';
import { ErrorCode } from '../errors/error-code';
import type { ConsoleRequest } from './http-types';
import { isCrossOrigin } from './request-origin';
import { SameOriginGuard } from './same-origin.guard';

const SITE = 'https://console.example.test';
const options = resolveOptions({ publicUrl: `${SITE}/`, appSecret: 'k'.repeat(32), dataDir: '/tmp' });
const request = (method: string, headers: Record<string, string>): ConsoleRequest => ({ method, url: '/x', headers });

function contextOf(req: ConsoleRequest, always = false): ExecutionContext {
  const handler = () => undefined;
  if (always) {
    Reflect.defineMetadata('console-users:same-origin-always', true, handler);
  }
  return { getArgByIndex: (index: number) => [req][index], getHandler: () => handler, getClass: () => class {} } as unknown as ExecutionContext;
}

describe('isCrossOrigin', () => {
  it.each([
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site', origin: SITE }, true],
    [{ 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:8090' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ origin: 'https://evil.example' }, true],
    [{ origin: 'https://CONSOLE.example.test' }, false],
    [{ origin: SITE }, false],
    [{ origin: 'null' }, false],
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(isCrossOrigin(request('POST', headers), SITE)).toBe(expected);
  });
});

describe('SameOriginGuard', () => {
  const sut = new SameOriginGuard(new Reflector(), options);
  const evil = { origin: 'https://evil.example' };

  it('refuses a cross-origin post with the session cookie or cached Basic credentials', () => {
    for (const credentials of [{ cookie: 'a=b; SESSION=xyz' }, { authorization: 'Basic YTpi' }] as Record<string, string>[]) {
      expect(() => sut.canActivate(contextOf(request('POST', { ...evil, ...credentials })))).toThrow(expect.objectContaining({ code: ErrorCode.Forbidden }));
    }
  });

  it('lets through safe methods, bearer tokens and requests without ambient credentials', () => {
    expect(sut.canActivate(contextOf(request('GET', { ...evil, cookie: 'SESSION=xyz' })))).toBe(true);
    expect(sut.canActivate(contextOf(request('DELETE', { ...evil, cookie: 'SESSION=xyz', authorization: 'Bearer pat_x' })))).toBe(true);
    expect(sut.canActivate(contextOf(request('POST', { ...evil, cookie: 'CONSOLE_DEVICE=v1' })))).toBe(true);
  });

  it('checks routes marked SameOriginAlways even without credentials', () => {
    expect(() => sut.canActivate(contextOf(request('POST', evil), true))).toThrow(expect.objectContaining({ code: ErrorCode.Forbidden }));
    expect(sut.canActivate(contextOf(request('POST', { origin: SITE }), true))).toBe(true);
  });
});
