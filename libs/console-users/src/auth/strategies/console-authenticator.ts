import passport from 'passport';
import type { ConsoleRequest } from '../../http/http-types';
import { isPromiseLike } from '../../common/maybe-promise';
import { ConsoleRequestStrategy, isConsoleRequestStrategy } from './console-request-strategy';

/**
 * Injection token of the module's own Passport `Authenticator`. The strategies register in it as
 * well as in the process-wide `passport` (which `AuthGuard('console-session')` of
 * `@nestjs/passport` reads), and the library's guards authenticate through it: two module
 * instances in one process (two apps, or tests) each use their own strategies and database.
 */
export const CONSOLE_USERS_AUTHENTICATOR = Symbol('console-users:authenticator');

/** A Passport authenticator (the type of `passport` itself, without its static helpers). */
export type ConsoleAuthenticator = passport.Authenticator;

/** A fresh authenticator, with no strategy registered. */
export function createConsoleAuthenticator(): ConsoleAuthenticator {
  return new passport.Authenticator();
}

/**
 * Runs Passport's strategies `names` in order on one request, without sessions, and settles with
 * the first strategy's user, `false` when every strategy passed, or rejects with the error a
 * strategy raised (our domain errors, which each face's filter formats).
 */
export function authenticateRequest(
  authenticator: ConsoleAuthenticator,
  names: string | readonly string[],
  request: unknown,
  response: unknown,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const middleware = authenticator.authenticate(
      typeof names === 'string' ? names : [...names],
      { session: false },
      (error: unknown, user: unknown) => (error ? reject(error) : resolve(user ?? false)),
    ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
    middleware(request, response, (error?: unknown) => (error ? reject(error) : resolve(false)));
  });
}

/**
 * The caller of an API request by the strategies `names`, in order, with
 * {@link authenticateRequest}'s answers: the first principal, `false` when every strategy passed,
 * or the error one raised. Given at once when every strategy answered at once (cached
 * credentials), else as a promise; an error may be thrown or be the promise's rejection.
 *
 * When every one of them is the library's own ({@link ConsoleRequestStrategy}), their `validate`
 * runs directly: the same answers without Passport's per-request work, which adds seven
 * properties (`logIn`, `isAuthenticated`, …) to the request object. Every request of every face
 * passes here, and objects that change shape per request slow down all the code that reads them
 * afterwards. A strategy a host registered under one of these names in the module's
 * authenticator goes through Passport as before.
 */
export function identifyCaller(authenticator: ConsoleAuthenticator, names: readonly string[], request: ConsoleRequest, response: unknown): unknown {
  const strategies = ownStrategies(authenticator, names);
  return strategies ? firstPrincipal(strategies, 0, request) : authenticateRequest(authenticator, names, request, response);
}

/** The library's strategies last found under a list of names, by authenticator. */
const lastFound = new WeakMap<ConsoleAuthenticator, { names: readonly string[]; strategies: readonly ConsoleRequestStrategy[] }>();

/**
 * The strategies registered under `names`, when every one is the library's own; else undefined.
 * Every request asks with the same names: the answer is kept and only checked against what is
 * registered now (a host may register another strategy under one of the names at any time).
 */
function ownStrategies(authenticator: ConsoleAuthenticator, names: readonly string[]): readonly ConsoleRequestStrategy[] | undefined {
  const registry = registeredStrategies(authenticator);
  const known = lastFound.get(authenticator);
  if (known?.names === names && stillRegistered(registry, names, known.strategies)) {
    return known.strategies;
  }
  const strategies: ConsoleRequestStrategy[] = [];
  for (const name of names) {
    const strategy = registry?.[name];
    if (!isConsoleRequestStrategy(strategy)) {
      return undefined;
    }
    strategies.push(strategy);
  }
  lastFound.set(authenticator, { names, strategies });
  return strategies;
}

/** The first principal of `strategies[from…]`; waits only for a strategy that answers with a promise. */
function firstPrincipal(strategies: readonly ConsoleRequestStrategy[], from: number, request: ConsoleRequest): unknown {
  for (let i = from; i < strategies.length; i++) {
    const answer = strategies[i]!.validate(request);
    if (isPromiseLike(answer)) {
      return Promise.resolve(answer).then((principal): unknown => principal || firstPrincipal(strategies, i + 1, request));
    }
    if (answer) {
      return answer;
    }
  }
  return false;
}

/** Whether `registry` still holds `strategies` under `names`. */
function stillRegistered(registry: Record<string, unknown> | undefined, names: readonly string[], strategies: readonly ConsoleRequestStrategy[]): boolean {
  for (let i = 0; i < names.length; i++) {
    if (registry?.[names[i]!] !== strategies[i]) {
      return false;
    }
  }
  return true;
}

/** Passport's registry of an authenticator's strategies, by name (what its `_strategy(name)` reads). */
function registeredStrategies(authenticator: ConsoleAuthenticator): Record<string, unknown> | undefined {
  return (authenticator as unknown as { _strategies?: Record<string, unknown> })._strategies;
}
