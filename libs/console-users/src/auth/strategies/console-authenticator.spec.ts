import { Strategy as CustomStrategy } from 'passport-custom';
import type { ConsoleRequest } from '../../http/http-types';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import type { Principal } from '../principal';
import { createConsoleAuthenticator, identifyCaller } from './console-authenticator';
import { CONSOLE_REQUEST_STRATEGY, ConsoleRequestStrategy } from './console-request-strategy';

const NAMES = ['first', 'second', 'third'] as const;

function request(): ConsoleRequest {
  return { method: 'GET', url: '/', headers: {} };
}

function principal(name: string): Principal {
  return { kind: 'user', name } as unknown as Principal;
}

/** A library-style strategy, as `PassportStrategy` builds ours: Passport's verify callback runs `validate`. */
function ours(answer: () => Promise<Principal | null>): ConsoleRequestStrategy & { calls: number } {
  const strategy = Object.assign(
    new CustomStrategy((_req, done) => {
      strategy.validate().then((user) => done(null, (user ?? undefined) as never), (error: Error) => done(error));
    }),
    {
      [CONSOLE_REQUEST_STRATEGY]: true as const,
      calls: 0,
      validate: async () => {
        strategy.calls++;
        return answer();
      },
    },
  );
  return strategy;
}

function authenticatorWith(strategies: Record<string, unknown>) {
  const authenticator = createConsoleAuthenticator();
  for (const [name, strategy] of Object.entries(strategies)) {
    authenticator.use(name, strategy as never);
  }
  return authenticator;
}

/** identifyCaller's answer as a promise, whether it came at once, as a promise or as a throw. */
function identify(...args: Parameters<typeof identifyCaller>): Promise<unknown> {
  return Promise.resolve().then(() => identifyCaller(...args));
}

describe('identifyCaller', () => {
  it("answers with the first strategy's principal and asks no later one", async () => {
    const [a, b, c] = [ours(async () => null), ours(async () => principal('b')), ours(async () => principal('c'))];
    const req = request();
    await expect(identify(authenticatorWith({ first: a, second: b, third: c }), NAMES, req, {})).resolves.toEqual(principal('b'));
    expect([a.calls, b.calls, c.calls]).toEqual([1, 1, 0]);
  });

  it("runs the library's strategies without Passport: the request object gains no property", async () => {
    const req = request();
    const keys = Object.keys(req);
    await identifyCaller(authenticatorWith({ first: ours(async () => principal('a')), second: ours(async () => null), third: ours(async () => null) }), NAMES, req, {});
    expect(Object.keys(req)).toEqual(keys);
  });

  it('answers false when every strategy passes', async () => {
    const all = { first: ours(async () => null), second: ours(async () => null), third: ours(async () => null) };
    await expect(identify(authenticatorWith(all), NAMES, request(), {})).resolves.toBe(false);
  });

  it("rejects with a strategy's error and asks no later one (a revoked token is not rescued by a cookie)", async () => {
    const refused = new DomainError(ErrorCode.InvalidToken, 'The access token is invalid, expired or revoked.');
    const later = ours(async () => principal('cookie-owner'));
    const all = { first: ours(() => Promise.reject(refused)), second: ours(async () => null), third: later };
    await expect(identify(authenticatorWith(all), NAMES, request(), {})).rejects.toBe(refused);
    expect(later.calls).toBe(0);
  });

  it('takes answers given without a promise (no credentials of a kind, a cached principal)', async () => {
    const sync = (answer: Principal | null): ConsoleRequestStrategy => ({ [CONSOLE_REQUEST_STRATEGY]: true, validate: () => answer });
    const later = ours(async () => principal('never'));
    const all = { first: sync(null), second: sync(principal('cached')), third: later };
    const answer = identifyCaller(authenticatorWith(all), NAMES, request(), {});
    expect(answer).toEqual(principal('cached')); // at once, not a promise
    expect(later.calls).toBe(0);
  });

  it('honours a subclass that overrides validate', async () => {
    class Base implements ConsoleRequestStrategy {
      readonly [CONSOLE_REQUEST_STRATEGY] = true as const;
      async validate(): Promise<Principal | null> {
        return principal('base');
      }
    }
    class HostVersion extends Base {
      override async validate(): Promise<Principal | null> {
        return principal('host');
      }
    }
    const all = { first: new HostVersion(), second: ours(async () => null), third: ours(async () => null) };
    await expect(identify(authenticatorWith(all), NAMES, request(), {})).resolves.toEqual(principal('host'));
  });

  it('goes through Passport when a strategy of the chain is not one of ours, with the same answers', async () => {
    const foreign = new CustomStrategy((_req, done) => done(null, principal('foreign') as never));
    const req = request();
    const all = { first: ours(async () => null), second: foreign, third: ours(async () => principal('never')) };
    await expect(identify(authenticatorWith(all), NAMES, req, {})).resolves.toEqual(principal('foreign'));
    // Passport's own middleware ran: it equips the request with its helpers.
    expect(typeof (req as unknown as { isAuthenticated?: unknown }).isAuthenticated).toBe('function');
  });

  it('follows a strategy registered under one of the names later, either way', async () => {
    const authenticator = authenticatorWith({ first: ours(async () => null), second: ours(async () => principal('ours')), third: ours(async () => null) });
    await expect(identify(authenticator, NAMES, request(), {})).resolves.toEqual(principal('ours'));
    // A host's own strategy replaces one of ours: Passport runs the chain.
    authenticator.use('second', new CustomStrategy((_req, done) => done(null, principal('host') as never)));
    await expect(identify(authenticator, NAMES, request(), {})).resolves.toEqual(principal('host'));
    // And one of ours again.
    const again = ours(async () => principal('ours again'));
    authenticator.use('second', again as never);
    await expect(identify(authenticator, NAMES, request(), {})).resolves.toEqual(principal('ours again'));
    expect(again.calls).toBe(1);
    // Removed: Passport's own error, as for a name nobody registered.
    authenticator.unuse('second');
    await expect(identify(authenticator, NAMES, request(), {})).rejects.toThrow(/Unknown authentication strategy "second"/);
  });

  it('fails like Passport for a name nobody registered', async () => {
    await expect(identify(authenticatorWith({ first: ours(async () => null) }), ['first', 'missing'], request(), {})).rejects.toThrow(
      /Unknown authentication strategy "missing"/,
    );
  });
});
