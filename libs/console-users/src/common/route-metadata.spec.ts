import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RouteMetadata } from './route-metadata';

const KEY = 'test:flag';

@SetMetadata(KEY, 'controller')
class Flagged {
  plain(): void {}
  @SetMetadata(KEY, 'handler')
  own(): void {}
}

class Bare {
  plain(): void {}
}

/** A Reflector that counts its lookups. */
class CountingReflector extends Reflector {
  lookups = 0;
  override getAllAndOverride<T>(...args: Parameters<Reflector['getAllAndOverride']>): T {
    this.lookups++;
    return super.getAllAndOverride(...args) as T;
  }
}

const contextOf = (controller: new () => object, handler: (...args: never[]) => unknown): ExecutionContext => new ExecutionContextHost([], controller as never, handler);

describe('RouteMetadata', () => {
  it("gives the handler's value over its controller's, and undefined when neither has one", () => {
    const flag = new RouteMetadata<string>(new Reflector(), KEY);
    expect(flag.of(contextOf(Flagged, Flagged.prototype.own))).toBe('handler');
    expect(flag.of(contextOf(Flagged, Flagged.prototype.plain))).toBe('controller');
    expect(flag.of(contextOf(Bare, Bare.prototype.plain))).toBeUndefined();
  });

  it('reads each handler and controller once, absent values included', () => {
    const reflector = new CountingReflector();
    const flag = new RouteMetadata<string>(reflector, KEY);
    for (let i = 0; i < 3; i++) {
      flag.of(contextOf(Flagged, Flagged.prototype.own));
      flag.of(contextOf(Bare, Bare.prototype.plain));
    }
    expect(reflector.lookups).toBe(2);
    // The same handler on another controller (an inherited route) is read for that controller.
    expect(flag.of(contextOf(Bare, Flagged.prototype.own))).toBe('handler');
    expect(reflector.lookups).toBe(3);
    // Both controllers' values are kept: asking again reads nothing.
    for (let i = 0; i < 3; i++) {
      expect(flag.of(contextOf(Bare, Flagged.prototype.own))).toBe('handler');
      expect(flag.of(contextOf(Flagged, Flagged.prototype.own))).toBe('handler');
      expect(flag.of(contextOf(Bare, Bare.prototype.plain))).toBeUndefined();
    }
    expect(reflector.lookups).toBe(3);
  });
});
