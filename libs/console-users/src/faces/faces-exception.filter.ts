import { ArgumentsHost, Catch, ExceptionFilter, Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PathDispatchFilter } from '../errors/path-dispatch.filter';
import { RecoveryPageFilter } from '../recovery/recovery-page.filter';
import { CONSOLE_USERS_FACES, ConsoleFace } from './console-face';
import { HaloProblemFilter } from './halo/halo-problem.filter';

/** Paths of the library's own pages (recovery links), answered as pages whatever the faces. */
const PAGE_PREFIXES = ['/recovery'] as const;

/**
 * The global exception filter a host installs (`app.useGlobalFilters(app.get(ConsoleUsersExceptionFilter))`)
 * so that errors raised before a controller is chosen (unparsable bodies, 413 from the body
 * parser, unknown routes) come out in the format of the mounted face owning the path, Halo's
 * problem otherwise. The prefixes are the faces' own declarations.
 */
@Catch()
@Injectable()
export class ConsoleUsersExceptionFilter implements ExceptionFilter {
  private dispatch?: PathDispatchFilter;

  constructor(
    @Inject(CONSOLE_USERS_FACES) private readonly faces: readonly ConsoleFace[],
    private readonly moduleRef: ModuleRef,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.dispatch ??= this.build();
    this.dispatch.catch(exception, host);
  }

  /** Prefix → filter pairs, built on first use (every filter is a provider of the module by then). */
  private build(): PathDispatchFilter {
    const routes: [string, ExceptionFilter][] = [];
    for (const face of this.faces) {
      if (face.name === 'halo') {
        continue; // the fallback
      }
      const filter = this.moduleRef.get(face.filter, { strict: false });
      routes.push(...face.pathPrefixes.map((prefix): [string, ExceptionFilter] => [prefix, filter]));
    }
    const pages = this.moduleRef.get(RecoveryPageFilter, { strict: false });
    routes.push(...PAGE_PREFIXES.map((prefix): [string, ExceptionFilter] => [prefix, pages]));
    return new PathDispatchFilter(this.moduleRef.get(HaloProblemFilter, { strict: false }), routes);
  }
}
