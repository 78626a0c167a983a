import { Body, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { AcceptsMediaTypes, BodyLimit } from '../../http/body-rules.decorator';
import { HaloController } from './halo-controller.decorator';
import type { HaloListResult } from './halo-list-query';
import type { ConsoleRequest } from '../../http/http-types';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { PermissionsService, UserPermissionView } from '../../rbac/permissions.service';
import { CurrentUserService } from '../../users/current-user.service';
import { ChangeOwnPasswordDto } from './dto/change-own-password.dto';
import { ChangePasswordDto } from './dto/change-password.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { GrantPermissionDto } from './dto/grant-permission.dto';
import type { HaloUser } from './dto/halo-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateCurrentUserDto } from './dto/update-current-user.dto';
import { UserAccountsService } from '../../users/user-accounts.service';
import { AVATAR_MAX_BYTES, UserAvatarsService } from '../../users/user-avatars.service';
import { UserListingService } from '../../users/user-listing.service';
import { UserPasswordsService } from '../../users/user-passwords.service';
import { UserRolesService } from '../../users/user-roles.service';
import { DetailedUserView, UsersService } from '../../users/users.service';

const group = ApiGroups.console;

/** Multipart framing around a 2 MiB file; anything longer is refused (413) before it is read. */
const AVATAR_BODY_LIMIT = AVATAR_MAX_BYTES + 64 * 1024;

/**
 * Halo's `UserV1alpha1Console` operations at `/apis/api.console.halo.run/v1alpha1/users`. Routes
 * for `-` are declared before the `{name}` ones, as Halo registers them (Express matches in
 * declaration order; Fastify prefers the static segment anyway), so `PUT /users/-/password` is
 * always ChangeOwnPassword.
 */
@ApiTags('UserV1alpha1Console')
@HaloController('apis/api.console.halo.run/v1alpha1/users')
export class HaloUsersController {
  constructor(
    private readonly usersService: UsersService,
    private readonly listing: UserListingService,
    private readonly accounts: UserAccountsService,
    private readonly currentUser: CurrentUserService,
    private readonly passwords: UserPasswordsService,
    private readonly roles: UserRolesService,
    private readonly avatars: UserAvatarsService,
    private readonly permissions: PermissionsService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'ListUsers', summary: 'List users' })
  @RequiresPermission({ apiGroup: group, resource: 'users' })
  listUsers(@Query() query: ListUsersQuery): Promise<HaloListResult<DetailedUserView>> {
    return this.listing.list(query);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'CreateUser', summary: 'Create a user' })
  @RequiresPermission({ apiGroup: group, resource: 'users' })
  createUser(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto, @ClientIp() ip: string): Promise<HaloUser> {
    return this.accounts.create(requireUser(principal), body, ip);
  }

  @Get('-')
  @ApiOperation({ operationId: 'GetCurrentUserDetail', summary: 'Get current user detail' })
  @RequiresPermission({ apiGroup: group, resource: 'users', name: '-' })
  getCurrentUserDetail(@CurrentPrincipal() principal: Principal): Promise<DetailedUserView> {
    return this.usersService.currentUserDetail(principal);
  }

  @Put('-')
  @ApiOperation({ operationId: 'UpdateCurrentUser', summary: 'Update the current user profile' })
  @RequiresPermission({ apiGroup: group, resource: 'users', name: '-' })
  updateCurrentUser(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateCurrentUserDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return this.currentUser.update(requireUser(principal), body, ip);
  }

  @Put('-/password')
  @ApiOperation({ operationId: 'ChangeOwnPassword', summary: 'Change own password' })
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'password', name: '-' })
  changeOwnPassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangeOwnPasswordDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return this.passwords.changeOwn(requireUser(principal), body, ip);
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
  getPermissions(@Param('name') name: string): Promise<UserPermissionView> {
    return this.usersService.permissionsOf(name);
  }

  @Post(':name/permissions')
  @HttpCode(200)
  @ApiOperation({ operationId: 'GrantPermission', summary: "Replace a user's roles" })
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'permissions', nameParam: 'name' })
  grantPermission(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: GrantPermissionDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return this.roles.grant(requireUser(principal), name, body, ip);
  }

  @Put(':name/password')
  @ApiOperation({ operationId: 'ChangeAnyonePassword', summary: "Set a user's password" })
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'password', nameParam: 'name' })
  changeAnyonePassword(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: ChangePasswordDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return this.passwords.changeAnyone(requireUser(principal), name, body, ip);
  }

  @Post(':name/avatar')
  @HttpCode(200)
  @AcceptsMediaTypes('multipart/form-data')
  @BodyLimit(AVATAR_BODY_LIMIT)
  @ApiOperation({ operationId: 'UploadUserAvatar', summary: "Upload a user's avatar (multipart part `file`)" })
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'avatar', nameParam: 'name' })
  uploadUserAvatar(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Req() request: ConsoleRequest,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return this.avatars.upload(requireUser(principal), name, request, ip);
  }

  @Delete(':name/avatar')
  @ApiOperation({ operationId: 'DeleteUserAvatar', summary: "Delete a user's avatar" })
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'avatar', nameParam: 'name' })
  deleteUserAvatar(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @ClientIp() ip: string): Promise<HaloUser> {
    return this.avatars.remove(requireUser(principal), name, ip);
  }

  @Get(':name')
  @ApiOperation({ operationId: 'GetUserDetail', summary: 'Get user detail by name' })
  @RequiresPermission({ apiGroup: group, resource: 'users', nameParam: 'name' })
  getUserDetail(@Param('name') name: string): Promise<DetailedUserView> {
    return this.usersService.userDetail(name);
  }
}
