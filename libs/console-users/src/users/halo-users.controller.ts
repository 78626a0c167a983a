import { Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { HaloController } from '../http/halo-controller.decorator';
import { ApiGroups } from '../rbac/rbac-labels';
import { RequiresPermission } from '../rbac/requires-permission.decorator';
import { PermissionsService, UserPermissionView } from '../rbac/permissions.service';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { DetailedUserView, UsersService } from './users.service';

const group = ApiGroups.console;

/**
 * Halo's `UserV1alpha1Console` read operations. Routes for `-` come first: Express matches in
 * declaration order, and Halo routes `-` before `{name}`.
 */
@ApiTags('UserV1alpha1Console')
@HaloController('apis/api.console.halo.run/v1alpha1/users')
export class HaloUsersController {
  constructor(
    private readonly usersService: UsersService,
    private readonly permissions: PermissionsService,
    private readonly bindings: RoleBindingsRepository,
  ) {}

  @Get('-')
  @ApiOperation({ operationId: 'GetCurrentUserDetail', summary: 'Get current user detail' })
  @RequiresPermission({ apiGroup: group, resource: 'users', name: '-' })
  getCurrentUserDetail(@CurrentPrincipal() principal: Principal): Promise<DetailedUserView> {
    return this.usersService.currentUserDetail(principal);
  }

  @Get('-/permissions')
  @ApiOperation({ operationId: 'GetPermissions', summary: "Get the caller's permissions" })
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'permissions', name: '-' })
  getOwnPermissions(@CurrentPrincipal() principal: Principal): Promise<UserPermissionView> {
    return this.permissions.describe(principal.roles);
  }

  @Get(':name/permissions')
  @ApiOperation({ operationId: 'GetPermissions', summary: "Get a user's permissions" })
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'permissions', nameParam: 'name' })
  async getPermissions(@Param('name') name: string): Promise<UserPermissionView> {
    return this.permissions.describe(await this.bindings.roleNamesOf(name));
  }

  @Get(':name')
  @ApiOperation({ operationId: 'GetUserDetail', summary: 'Get user detail by name' })
  @RequiresPermission({ apiGroup: group, resource: 'users', nameParam: 'name' })
  getUserDetail(@Param('name') name: string): Promise<DetailedUserView> {
    return this.usersService.userDetail(name);
  }
}
