import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { ZITADEL_FACE } from './zitadel/zitadel.face';
import type { ConsoleUsersExceptionFilter } from './faces-exception.filter';
import { LibraryRoutesFilter } from './library-routes.filter';

function httpHost(url: string): ArgumentsHost {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ method: 'GET', url, headers: {} }), getResponse: () => ({}), getNext: () => undefined }),
  } as unknown as ArgumentsHost;
}

@Catch()
class HostCatchAll implements ExceptionFilter {
  readonly caught: unknown[] = [];
  catch(exception: unknown): void {
    this.caught.push(exception);
  }
}

@Catch(NotFoundException)
class HostNotFound implements ExceptionFilter {
  readonly caught: unknown[] = [];
  catch(exception: unknown): void {
    this.caught.push(exception);
  }
}

describe('LibraryRoutesFilter', () => {
  let globals: ExceptionFilter[];
  let faceCaught: unknown[];
  let sut: LibraryRoutesFilter;

  beforeEach(() => {
    globals = [];
    faceCaught = [];
    const config = { getGlobalFilters: () => globals, addGlobalFilter: (filter: ExceptionFilter) => globals.push(filter) };
    const faceFilter = { catch: (exception: unknown) => faceCaught.push(exception) } as unknown as ConsoleUsersExceptionFilter;
    sut = new LibraryRoutesFilter([ZITADEL_FACE], faceFilter, {} as HttpAdapterHost, { container: { applicationConfig: config } } as unknown as ModuleRef);
  });

  it("owns the mounted faces' prefixes and the core's routes, nothing else", () => {
    expect(sut.owns('/v2/users/1/email')).toBe(true);
    expect(sut.owns('/login')).toBe(true);
    expect(sut.owns('/actuator/health/liveness')).toBe(true);
    expect(sut.owns('/loginx')).toBe(false);
    expect(sut.owns('/apis/api.console.halo.run/v1alpha1/users')).toBe(false); // Halo is not mounted here
    expect(sut.owns('/host/echo')).toBe(false);
  });

  it("joins the app's global filters at init and answers its own paths with the faces' filter", () => {
    const host = new HostCatchAll();
    globals.push(host);
    sut.onModuleInit();
    expect(globals).toEqual([host, sut]);
    const error = new BadRequestException();
    sut.catch(error, httpHost('/v2/users/1/email/send'));
    expect(faceCaught).toEqual([error]);
    expect(host.caught).toEqual([]);
  });

  it("hands other paths to the host's global filters in Nest's order, by their @Catch types", () => {
    const all = new HostCatchAll();
    const notFound = new HostNotFound();
    globals.push(all, notFound);
    sut.onModuleInit();
    const missing = new NotFoundException();
    const bad = new BadRequestException();
    sut.catch(missing, httpHost('/host/nothing'));
    sut.catch(bad, httpHost('/host/echo'));
    expect(notFound.caught).toEqual([missing]); // registered last: asked first
    expect(all.caught).toEqual([bad]);
    expect(faceCaught).toEqual([]);
  });
});
