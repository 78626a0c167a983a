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
  /**
   * By handler: the value for the controller the handler was first seen with (nearly always its
   * only one: one lookup per request), and for any other controller (an inherited handler).
   */
  private readonly byHandler = new WeakMap<object, { controller: object; value: T; others?: WeakMap<object, { value: T }> }>();

  constructor(private readonly compute: (targets: RouteTargets) => T) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    const controller = context.getClass();
    const entry = this.byHandler.get(handler);
    if (entry?.controller === controller) {
      return entry.value;
    }
    const targets: RouteTargets = [handler as RouteTargets[0], controller];
    if (!entry) {
      const value = this.compute(targets);
      this.byHandler.set(handler, { controller, value });
      return value;
    }
    entry.others ??= new WeakMap();
    let other = entry.others.get(controller);
    if (!other) {
      other = { value: this.compute(targets) };
      entry.others.set(controller, other);
    }
    return other.value;
  }
}

/** One metadata key of a route: the handler's value, else its controller's, read once per route. */
export class RouteMetadata<T> extends PerRoute<T | undefined> {
  constructor(reflector: Reflector, key: string) {
    super((targets) => reflector.getAllAndOverride<T | undefined>(key, targets));
  }
}
