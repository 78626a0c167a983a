import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiConsoleAuth } from '../openapi/console-security';

/** The RBAC tuple a route needs, in Halo's terms. */
export interface PermissionSpec {
  apiGroup: string;
  /** The resource, e.g. `users`. */
  resource: string;
  /** The subresource, e.g. `password` for `users/password`. */
  subresource?: string;
  /** Halo verb; defaults to the HTTP method's verb (`get`/`list`/`create`/`update`/`patch`/`delete`). */
  verb?: string;
  /** Route parameter holding the resource name (`-` included). */
  nameParam?: string;
  /** A fixed resource name, for literal path segments such as `-`. */
  name?: string;
}

export const PERMISSION_METADATA = 'console-users:permission';
export const PUBLIC_ROUTE_METADATA = 'console-users:public-route';

/**
 * Declares the permission a route needs. Routes of the library's controllers without this or
 * {@link PublicRoute} are denied (fail closed). The OpenAPI document lists the credentials such
 * a route takes (session cookie, PAT, Basic), so the security there follows the guard's rule.
 */
export const RequiresPermission = (spec: PermissionSpec): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PERMISSION_METADATA, spec), ApiConsoleAuth()) as MethodDecorator & ClassDecorator;

/** Marks a route that anybody may call; the caller is still identified when it sends credentials. */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE_METADATA, true);
