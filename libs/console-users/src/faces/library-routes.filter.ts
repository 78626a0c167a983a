import { ArgumentsHost, Catch, ExceptionFilter, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { FILTER_CATCH_EXCEPTIONS } from '@nestjs/common/constants';
import { BaseExceptionFilter, HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { ConsoleRequest, requestPath } from '../http/http-types';
import { CONSOLE_USERS_FACES, ConsoleFace } from './console-face';
import { ConsoleUsersExceptionFilter } from './faces-exception.filter';

/** Paths of the core's own routes (login, avatars, health, recovery pages), mounted whatever the faces. */
export const CORE_PATH_PREFIXES = ['/login', '/logout', '/avatars/', '/actuator/health', '/recovery/'] as const;

/** The part of Nest's application config this filter reads: the app's global filters. */
interface GlobalFilters {
  getGlobalFilters(): ExceptionFilter[];
  addGlobalFilter(filter: ExceptionFilter): void;
}

/**
 * Installed by the module itself, in any host (Express or Fastify): errors raised on the
 * library's paths before one of its controllers runs (unreadable or oversized bodies, unknown
 * routes under a face's prefix) come out in that face's format, as errors inside its controllers
 * do. Every other path is the host's: its errors go to the host's own global filters, or to
 * Nest's default answer, exactly as without the library.
 *
 * It joins the app's global filters when the module initialises, after the host's
 * `app.useGlobalFilters(...)` calls, so Nest consults it first for the errors raised outside
 * controllers (Nest builds the not-found and body-error handlers after the init hooks, the routes'
 * handlers before them, so no host route ever sees it).
 */
@Catch()
@Injectable()
export class LibraryRoutesFilter implements ExceptionFilter, OnModuleInit {
  private readonly prefixes: readonly string[];
  private config?: GlobalFilters;

  constructor(
    @Inject(CONSOLE_USERS_FACES) faces: readonly ConsoleFace[],
    private readonly faceFilter: ConsoleUsersExceptionFilter,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {
    this.prefixes = [...faces.flatMap((face) => face.pathPrefixes), ...CORE_PATH_PREFIXES];
  }

  onModuleInit(): void {
    // Nest has no public way for a module to add a global filter; its container holds the app's
    // config (a standalone application context has none: nothing to route then).
    this.config = (this.moduleRef as unknown as { container?: { applicationConfig?: GlobalFilters } }).container?.applicationConfig;
    this.config?.addGlobalFilter(this);
  }

  /** True when `path` belongs to one of the mounted faces or to the core's routes. */
  owns(path: string): boolean {
    return this.prefixes.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() === 'http' && this.owns(requestPath(host.switchToHttp().getRequest<ConsoleRequest>()))) {
      this.faceFilter.catch(exception, host);
      return undefined;
    }
    return this.passOn(exception, host);
  }

  /** What Nest would have done without this filter: the next matching global filter, else its default. */
  private passOn(exception: unknown, host: ArgumentsHost): unknown {
    const others = (this.config?.getGlobalFilters() ?? []).filter((filter) => filter !== this).reverse();
    const next = others.find((filter) => {
      const types: (new (...args: never[]) => unknown)[] = Reflect.getMetadata(FILTER_CATCH_EXCEPTIONS, filter.constructor) ?? [];
      return types.length === 0 || types.some((type) => exception instanceof type);
    });
    if (next) {
      return next.catch(exception, host);
    }
    if (host.getType() !== 'http') {
      throw exception;
    }
    return new BaseExceptionFilter(this.adapterHost.httpAdapter).catch(exception, host);
  }
}
