import type { ExecutionContext, Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/** A route's handler and its controller, the targets Nest's `Reflector` reads metadata from. */
export type RouteTargets = [handler: (...args: never[]) => unknown, controller: Type<unknown>];

/**
 * A value worked out once per route (handler and controller) from its decorators: they do not
 * change at run time, and reflect-metadata walks the prototype chains again on every lookup,
 * which guards that ask on every request paid each time.
 */
export class PerRoute<T> {
  private readonly byHandler = new WeakMap<object, WeakMap<object, { value: T }>>();

  constructor(private readonly compute: (targets: RouteTargets) => T) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.byHandler.get(handler);
    let entry = byController?.get(controller);
    if (!entry) {
      entry = { value: this.compute([handler as RouteTargets[0], controller]) };
      byController ??= new WeakMap();
      byController.set(controller, entry);
      this.byHandler.set(handler, byController);
    }
    return entry.value;
  }
}

/** One metadata key of a route: the handler's value, else its controller's, read once per route. */
export class RouteMetadata<T> extends PerRoute<T | undefined> {
  constructor(reflector: Reflector, key: string) {
    super((targets) => reflector.getAllAndOverride<T | undefined>(key, targets));
  }
}
