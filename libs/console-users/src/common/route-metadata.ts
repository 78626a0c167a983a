import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/**
 * One metadata key of a route (the handler's value, else its controller's), read once per handler
 * and controller: decorators do not change at run time, and reflect-metadata walks the prototype
 * chains again on every lookup, which guards that ask on every request paid each time.
 */
export class RouteMetadata<T> {
  private readonly byHandler = new WeakMap<object, WeakMap<object, { value: T | undefined }>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly key: string,
  ) {}

  of(context: ExecutionContext): T | undefined {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.byHandler.get(handler);
    let entry = byController?.get(controller);
    if (!entry) {
      entry = { value: this.reflector.getAllAndOverride<T | undefined>(this.key, [handler, controller]) };
      byController ??= new WeakMap();
      byController.set(controller, entry);
      this.byHandler.set(handler, byController);
    }
    return entry.value;
  }
}
