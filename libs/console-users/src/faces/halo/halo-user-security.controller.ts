import { HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import type { HaloUser } from './dto/halo-user.dto';
import { UserStatusService } from '../../users/user-status.service';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { toHaloUser } from './user.mapper';
import { HaloUserSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';

const group = ApiGroups.consoleSecurity;

/**
 * DisableUser and EnableUser, which Halo serves from its security API group. No role template
 * grants them: only super-role (or a custom role with a matching rule) may call them.
 */
@ApiTags('UserV1alpha1Console')
@HaloController('apis/console.api.security.halo.run/v1alpha1/users')
export class HaloUserSecurityController {
  constructor(
    private readonly status: UserStatusService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Post(':username/disable')
  @HttpCode(200)
  @ApiOperation({ operationId: 'DisableUser', summary: 'Disable a user and end its sessions and tokens' })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(400, 401, 403, 404)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'disable', nameParam: 'username' })
  async disableUser(@CurrentPrincipal() principal: Principal, @Param('username') username: string, @ClientIp() ip: string): Promise<HaloUser> {
    return toHaloUser(await this.status.disable(requireUser(principal), username, ip), this.options.publicUrl);
  }

  @Post(':username/enable')
  @HttpCode(200)
  @ApiOperation({ operationId: 'EnableUser', summary: 'Enable a disabled user' })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'enable', nameParam: 'username' })
  async enableUser(@CurrentPrincipal() principal: Principal, @Param('username') username: string, @ClientIp() ip: string): Promise<HaloUser> {
    return toHaloUser(await this.status.enable(requireUser(principal), username, ip), this.options.publicUrl);
  }
}
