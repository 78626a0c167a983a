import { Body, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import type { HaloUser } from './dto/halo-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserAccountsService } from '../../users/user-accounts.service';

const permission = { apiGroup: ApiGroups.core, resource: 'users', nameParam: 'name' };

/** The core `User` extension endpoints the console uses to edit and delete users (`UserV1alpha1Api`). */
@ApiTags('UserV1alpha1')
@HaloController('api/v1alpha1/users')
export class CoreUsersController {
  constructor(private readonly accounts: UserAccountsService) {}

  @Get(':name')
  @ApiOperation({ operationId: 'GetUser', summary: 'Get a user' })
  @RequiresPermission(permission)
  getUser(@Param('name') name: string): Promise<HaloUser> {
    return this.accounts.get(name);
  }

  @Put(':name')
  @ApiOperation({ operationId: 'UpdateUser', summary: 'Update a user (optimistic lock on metadata.version)' })
  @RequiresPermission(permission)
  updateUser(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: UpdateUserDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return this.accounts.update(requireUser(principal), name, body, ip);
  }

  @Delete(':name')
  @ApiOperation({ operationId: 'DeleteUser', summary: 'Delete a user with its bindings, sessions, tokens and avatar' })
  @RequiresPermission(permission)
  deleteUser(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @ClientIp() ip: string): Promise<HaloUser> {
    return this.accounts.delete(requireUser(principal), name, ip);
  }
}
