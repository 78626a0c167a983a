import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ConsoleResponse, setHeader } from '../../http/http-types';
import { FRESNS_HEADERS } from './fresns-envelope';

/** Adds Fresns' `Fresns-Api`/`Fresns-Version` headers and `no-store` to successful answers. */
@Injectable()
export class FresnsHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<ConsoleResponse>();
    for (const [name, value] of Object.entries(FRESNS_HEADERS)) {
      setHeader(response, name, value);
    }
    setHeader(response, 'Cache-Control', 'no-store');
    return next.handle();
  }
}
