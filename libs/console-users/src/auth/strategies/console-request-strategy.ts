import type { ConsoleRequest } from '../../http/http-types';
import type { Principal } from '../principal';

/** Brand of the library's own request strategies (and of host subclasses of them). */
export const CONSOLE_REQUEST_STRATEGY = Symbol('console-users:request-strategy');

/**
 * A strategy whose whole Passport behaviour is its `validate(request)`: a principal succeeds, null
 * passes to the next strategy, a thrown error (or rejection) ends the chain. `console-pat`,
 * `console-basic` and `console-session` are; a subclass that overrides `validate` still is. It may
 * answer synchronously (no credentials of its kind, a cached principal): every request of every
 * face asks all three, and a promise per answer is work for nothing.
 */
export interface ConsoleRequestStrategy {
  readonly [CONSOLE_REQUEST_STRATEGY]: true;
  validate(request: ConsoleRequest): Principal | null | PromiseLike<Principal | null>;
}

export function isConsoleRequestStrategy(strategy: unknown): strategy is ConsoleRequestStrategy {
  return typeof strategy === 'object' && strategy !== null && (strategy as Partial<ConsoleRequestStrategy>)[CONSOLE_REQUEST_STRATEGY] === true;
}
