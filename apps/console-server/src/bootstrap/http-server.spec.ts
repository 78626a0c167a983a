import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fastify from 'fastify';
import { createHttpServer } from './http-server';

/** One GET through a real server: the URL and originalUrl the handler saw. */
async function seen(path: string): Promise<{ url: string | undefined; originalUrl: string | undefined; hasOwnOriginalUrl: boolean }> {
  let saw: { url: string | undefined; originalUrl: string | undefined; hasOwnOriginalUrl: boolean } | undefined;
  const server = createHttpServer((request, response) => {
    const original = (request as { originalUrl?: string }).originalUrl;
    saw = { url: request.url, originalUrl: original, hasOwnOriginalUrl: Object.prototype.hasOwnProperty.call(request, 'originalUrl') };
    response.end('ok');
  }, {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path }, (response) => {
        response.resume();
        response.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return saw!;
}

describe('createHttpServer', () => {
  it('strips the trailing slash of an authentik path before routing, keeping the path as sent', async () => {
    expect(await seen('/api/v3/core/users/42/recovery/')).toEqual({ url: '/api/v3/core/users/42/recovery', originalUrl: '/api/v3/core/users/42/recovery/', hasOwnOriginalUrl: true });
    expect(await seen('/api/v3/core/users/?page=2')).toEqual({ url: '/api/v3/core/users?page=2', originalUrl: '/api/v3/core/users/?page=2', hasOwnOriginalUrl: true });
  });

  it('leaves every other request as it came, without adding a property to it', async () => {
    for (const path of ['/apis/api.console.halo.run/v1alpha1/users/-', '/apis/api.console.halo.run/v1alpha1/users/', '/api/v3/core/users', '/']) {
      expect(await seen(path)).toEqual({ url: path, originalUrl: undefined, hasOwnOriginalUrl: false });
    }
  });

  it("applies Fastify's timeouts and limits as Fastify would", async () => {
    const server = createHttpServer(() => undefined, { keepAliveTimeout: 72_000, requestTimeout: 30_000, connectionTimeout: 5_000, maxRequestsPerSocket: 100 });
    expect([server.keepAliveTimeout, server.requestTimeout, server.timeout, server.maxRequestsPerSocket]).toEqual([72_000, 30_000, 5_000, 100]);
    // Against the server Fastify builds itself, with its defaults and with settings of its own.
    for (const options of [{}, { keepAliveTimeout: 5_000, requestTimeout: 9_000, connectionTimeout: 7_000, maxRequestsPerSocket: 3 }]) {
      const own = fastify(options);
      const ours = fastify({ ...options, serverFactory: createHttpServer });
      const settings = (s: typeof own.server) => [s.keepAliveTimeout, s.requestTimeout, s.timeout, s.maxRequestsPerSocket, s.headersTimeout];
      expect(settings(ours.server)).toEqual(settings(own.server));
      await Promise.all([own.close(), ours.close()]);
    }
  });
});
