import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import { HaloProblemFilter } from '../errors/halo-problem.filter';
import { ConsoleRequest, requestPath } from '../http/http-types';
import { AnqiCmsErrorFilter } from './anqicms/anqicms-error.filter';
import { FresnsErrorFilter } from './fresns/fresns-error.filter';

/** Path prefixes of the envelope faces; everything else answers as Halo. */
const FRESNS_PATHS = ['/api/v2/'];
const ANQICMS_PATHS = ['/api/verify/', '/api/password/', '/account/password/'];

/**
 * The server-wide filter for errors raised before a controller's own filter can run (unreadable
 * JSON, body limits, unknown routes): a Fresns or AnqiCMS client gets its envelope, everyone
 * else a Halo problem. A host registers it with `app.useGlobalFilters(app.get(ConsoleExceptionFilter))`.
 */
@Catch()
@Injectable()
export class ConsoleExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly halo: HaloProblemFilter,
    private readonly fresns: FresnsErrorFilter,
    private readonly anqicms: AnqiCmsErrorFilter,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const path = requestPath(host.switchToHttp().getRequest<ConsoleRequest>());
    if (FRESNS_PATHS.some((prefix) => path.startsWith(prefix))) {
      this.fresns.catch(exception, host);
    } else if (ANQICMS_PATHS.some((prefix) => path.startsWith(prefix))) {
      this.anqicms.catch(exception, host);
    } else {
      this.halo.catch(exception, host);
    }
  }
}
