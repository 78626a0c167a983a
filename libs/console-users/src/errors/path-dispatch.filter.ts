import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { ConsoleRequest, requestPath } from '../http/http-types';

/**
 * A global filter that answers in the format of the face a path belongs to. Errors raised
 * before a controller is chosen (unparsable bodies, 413 from the body parser, unknown routes)
 * only reach global filters; without this a ZITADEL client would get a Halo problem for them.
 */
@Catch()
export class PathDispatchFilter implements ExceptionFilter {
  constructor(
    private readonly fallback: ExceptionFilter,
    private readonly faces: ReadonlyArray<readonly [pathPrefix: string, filter: ExceptionFilter]>,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const path = requestPath(host.switchToHttp().getRequest<ConsoleRequest>());
    const face = this.faces.find(([prefix]) => path.startsWith(prefix));
    (face?.[1] ?? this.fallback).catch(exception, host);
  }
}
