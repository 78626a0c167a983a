import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { HALO_ERROR_MAP } from '../faces/halo/halo-problem.filter';
import { ConsoleAuthGuard } from './console-auth.guard';

/**
 * {@link ConsoleAuthGuard} for a host's own routes: the same strategies and RBAC check, but its
 * refusals are Nest `HttpException`s (401, 403, 429 with the message), which the host's filters
 * and Nest's default answer understand. The library's domain errors are answered only on the
 * library's own routes, by its faces' filters; elsewhere Nest would see an unknown error (500).
 *
 * ```ts
 * @UseGuards(ConsolePermissionGuard)
 * @RequiresPermission({ apiGroup: '', resource: 'users', verb: 'list' })
 * @Get('reports') …
 * ```
 */
@Injectable()
export class ConsolePermissionGuard extends ConsoleAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof DomainError) {
        const status = HALO_ERROR_MAP[error.code].status;
        throw new HttpException({ statusCode: status, message: error.message }, status, { cause: error });
      }
      throw error;
    }
  }
}
