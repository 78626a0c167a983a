import Fastify from 'fastify';
import { CONSOLE_REQUEST_PROPERTIES } from '../console-users';
import { declareConsoleRequestProperties } from './request-shape';

describe('declareConsoleRequestProperties', () => {
  it("builds every request with the library's properties already present (one object shape)", async () => {
    const fastify = Fastify();
    declareConsoleRequestProperties(fastify);
    fastify.get('/', async (request) => ({ keys: Object.keys(request), principal: (request as unknown as Record<string, unknown>).consolePrincipal ?? null }));
    const answer = (await fastify.inject({ method: 'GET', url: '/' })).json<{ keys: string[]; principal: unknown }>();
    expect(answer.keys).toEqual(expect.arrayContaining([...CONSOLE_REQUEST_PROPERTIES]));
    expect(answer.principal).toBeNull();
    await fastify.close();
  });

  it('may run twice (a host that declared them already)', () => {
    const fastify = Fastify();
    declareConsoleRequestProperties(fastify);
    expect(() => declareConsoleRequestProperties(fastify)).not.toThrow();
  });
});
