import { Body, Delete, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import type { HaloUser } from './dto/halo-user.dto';
import { toAccountUpdate, UpdateUserDto } from './dto/update-user.dto';
import { toHaloUser } from './user.mapper';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { UserAccountsService } from '../../users/user-accounts.service';
import { HaloUserSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';

const permission = { apiGroup: ApiGroups.core, resource: 'users', nameParam: 'name' };

/** The core `User` extension endpoints the console uses to edit and delete users (`UserV1alpha1Api`). */
@ApiTags('UserV1alpha1')
@HaloController('api/v1alpha1/users')
export class CoreUsersController {
  constructor(
    private readonly accounts: UserAccountsService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Get(':name')
  @ApiOperation({ operationId: 'GetUser', summary: 'Get a user' })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission(permission)
  async getUser(@Param('name') name: string): Promise<HaloUser> {
    return toHaloUser(await this.accounts.get(name), this.options.publicUrl);
  }

  @Put(':name')
  @ApiOperation({ operationId: 'UpdateUser', summary: 'Update a user (optimistic lock on metadata.version)' })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(400, 401, 403, 404, 409)
  @RequiresPermission(permission)
  async updateUser(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: UpdateUserDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    const actor = requireUser(principal);
    return toHaloUser(await this.accounts.update(actor, name, toAccountUpdate(body, name), ip), this.options.publicUrl);
  }

  @Delete(':name')
  @ApiOperation({ operationId: 'DeleteUser', summary: 'Delete a user with its bindings, sessions, tokens and avatar' })
  @ApiOkResponse({ type: HaloUserSchema, description: 'The deleted user' })
  @HaloErrors(400, 401, 403, 404)
  @RequiresPermission(permission)
  async deleteUser(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @ClientIp() ip: string): Promise<HaloUser> {
    const deleted = await this.accounts.delete(requireUser(principal), name, ip);
    const user = toHaloUser(deleted.user, this.options.publicUrl);
    user.metadata.deletionTimestamp = deleted.deletedAt.toISOString();
    return user;
  }
}
