import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleNames } from '../rbac/rbac-labels';

/** How a user principal proved who it is. */
export type AuthenticationMethod = 'session' | 'pat' | 'basic';

/** A caller that presented no valid credentials. */
export interface AnonymousPrincipal {
  kind: 'anonymous';
  /** Always `['anonymous']`. */
  roles: string[];
}

/** A logged-in caller. */
export interface UserPrincipal {
  kind: 'user';
  userId: number;
  name: string;
  /** Authorities: the bound (or PAT) roles plus `authenticated` and `anonymous`, as Halo grants them. */
  roles: string[];
  /** The roles bound to the user, without the implicit ones. */
  boundRoles: string[];
  method: AuthenticationMethod;
  sessionId?: number;
  patName?: string;
}

/** Whoever is calling. */
export type Principal = AnonymousPrincipal | UserPrincipal;

/** The anonymous principal. */
export const ANONYMOUS: AnonymousPrincipal = Object.freeze({ kind: 'anonymous', roles: Object.freeze([RoleNames.anonymous]) }) as AnonymousPrincipal;

/** Builds a user principal with Halo's implicit authorities. */
export function userPrincipal(
  user: { id: number; name: string },
  grantedRoles: string[],
  boundRoles: string[],
  method: AuthenticationMethod,
  extra: { sessionId?: number; patName?: string } = {},
): UserPrincipal {
  // Frozen: a cached principal serves many requests, and the role graph remembers the expansion
  // of a frozen roles array by the array itself.
  const roles = Object.freeze([...new Set([...grantedRoles, RoleNames.authenticated, RoleNames.anonymous])]) as string[];
  return { kind: 'user', userId: user.id, name: user.name, roles, boundRoles, method, ...extra };
}

/** The caller as a user, or 401 for anonymous callers (routes anonymous roles may reach). */
export function requireUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') {
    throw new DomainError(ErrorCode.Unauthenticated, 'Full authentication is required to access this resource.');
  }
  return principal;
}
