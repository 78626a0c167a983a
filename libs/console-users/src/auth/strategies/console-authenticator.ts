import passport from 'passport';

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
