import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import { AuthentikErrorFilter, HaloProblemFilter, RecoveryPageFilter } from '../console-users';

/**
 * The global filter: errors raised before a controller's own filter applies (unreadable bodies,
 * unknown routes) are answered in the format of the face the path belongs to.
 */
@Catch()
@Injectable()
export class FaceErrorFilter implements ExceptionFilter {
  constructor(
    private readonly halo: HaloProblemFilter,
    private readonly authentik: AuthentikErrorFilter,
    private readonly recoveryPages: RecoveryPageFilter,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<{ url?: string; originalUrl?: string }>();
    const url = request.originalUrl ?? request.url ?? '/';
    const path = url.split('?')[0]!;
    if (path.startsWith('/api/v3/')) {
      this.authentik.catch(exception, host);
    } else if (path === '/recovery' || path.startsWith('/recovery/')) {
      this.recoveryPages.catch(exception, host);
    } else {
      this.halo.catch(exception, host);
    }
  }
}
