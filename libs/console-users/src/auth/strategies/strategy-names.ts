/** Passport name of the `SESSION` cookie strategy. */
export const CONSOLE_SESSION_STRATEGY = 'console-session';

/** Passport name of the personal-access-token strategy (`Authorization: Bearer pat_…` only). */
export const CONSOLE_PAT_STRATEGY = 'console-pat';

/** Passport name of the HTTP Basic strategy; it authenticates only when `basicAuth` is enabled. */
export const CONSOLE_BASIC_STRATEGY = 'console-basic';

/** Passport name of the login-form strategy (`username` and `password` in the body of `POST /login`). */
export const CONSOLE_LOCAL_STRATEGY = 'console-local';

/**
 * The strategies that identify the caller of an API request, in the order they are tried: a
 * token or Basic header that is present but wrong is an error that ends the chain (401), so a
 * revoked token is never rescued by a session cookie sent along with it.
 */
export const CONSOLE_REQUEST_STRATEGIES = [CONSOLE_PAT_STRATEGY, CONSOLE_BASIC_STRATEGY, CONSOLE_SESSION_STRATEGY] as const;
