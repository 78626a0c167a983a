import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { AcceptsMediaTypes, BodyLimit } from '../../http/body-rules.decorator';
import { HaloController } from './halo-controller.decorator';
import { andThen, MaybePromise } from '../../common/maybe-promise';
import { HaloListResult, listResult } from './halo-list-query';
import { toUserListCriteria } from './halo-user-list';
import type { ConsoleRequest } from '../../http/http-types';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { PermissionsService } from '../../rbac/permissions.service';
import { toHaloRole, toHaloUserPermission, UserPermissionView } from './role.mapper';
import { toHaloUser } from './user.mapper';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { CurrentUserService } from '../../users/current-user.service';
import { ChangeOwnPasswordDto } from './dto/change-own-password.dto';
import { ChangePasswordDto } from './dto/change-password.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { GrantPermissionDto } from './dto/grant-permission.dto';
import type { HaloUser } from './dto/halo-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { toProfileUpdate, UpdateCurrentUserDto } from './dto/update-current-user.dto';
import { UserAccountsService } from '../../users/user-accounts.service';
import { AVATAR_MAX_BYTES, UserAvatarsService } from '../../users/user-avatars.service';
import { UserListingService } from '../../users/user-listing.service';
import { UserPasswordsService } from '../../users/user-passwords.service';
import { UserRolesService } from '../../users/user-roles.service';
import { UsersService } from '../../users/users.service';
import { DetailedUserView, toDetailedUser } from './dto/detailed-user.dto';
import { AllowedWhilePasswordChangeRequired } from '../../auth/password-change-required.guard';
import { DetailedUserSchema, HaloUserSchema, ListedUserListSchema, UserPermissionSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';
import { ApiAnonymousAllowed } from '../../openapi/console-security';

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
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'ListUsers', summary: 'List users' })
  @ApiOkResponse({ type: ListedUserListSchema })
  @HaloErrors(400, 401, 403)
  @RequiresPermission({ apiGroup: group, resource: 'users' })
  async listUsers(@Query() query: ListUsersQuery): Promise<HaloListResult<DetailedUserView>> {
    const { criteria, page, size } = toUserListCriteria(query);
    const { items, total } = await this.listing.list(criteria);
    const users = items.map(({ user, roles }) => ({ user: toHaloUser(user, this.options.publicUrl), roles: roles.map(toHaloRole) }));
    return listResult(users, page, size, total);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'CreateUser', summary: 'Create a user' })
  @ApiOkResponse({ type: HaloUserSchema, description: 'The created user' })
  @HaloErrors(400, 401, 403, 409, 503)
  @RequiresPermission({ apiGroup: group, resource: 'users' })
  async createUser(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto, @ClientIp() ip: string): Promise<HaloUser> {
    return toHaloUser(await this.accounts.create(requireUser(principal), body, ip), this.options.publicUrl);
  }

  @AllowedWhilePasswordChangeRequired()
  @Get('-')
  @ApiOperation({ operationId: 'GetCurrentUserDetail', summary: 'Get current user detail' })
  @ApiAnonymousAllowed()
  @ApiOkResponse({ type: DetailedUserSchema, description: 'Without credentials: the `anonymousUser` and its roles' })
  @HaloErrors(401)
  @RequiresPermission({ apiGroup: group, resource: 'users', name: '-' })
  getCurrentUserDetail(@CurrentPrincipal() principal: Principal): MaybePromise<DetailedUserView> {
    return andThen(this.usersService.currentUserDetail(principal), (detail) => toDetailedUser(detail, this.options.publicUrl));
  }

  @Put('-')
  @ApiOperation({ operationId: 'UpdateCurrentUser', summary: 'Update the current user profile' })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(400, 401, 403)
  @RequiresPermission({ apiGroup: group, resource: 'users', name: '-' })
  async updateCurrentUser(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateCurrentUserDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    const caller = requireUser(principal);
    return toHaloUser(await this.currentUser.update(caller, toProfileUpdate(body, caller.name), ip), this.options.publicUrl);
  }

  @AllowedWhilePasswordChangeRequired()
  @Put('-/password')
  @ApiOperation({ operationId: 'ChangeOwnPassword', summary: 'Change own password' })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(400, 401, 403, 429, 503)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'password', name: '-' })
  async changeOwnPassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangeOwnPasswordDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    const change = { oldPassword: body.oldPassword, password: body.password };
    return toHaloUser(await this.passwords.changeOwn(requireUser(principal), change, ip), this.options.publicUrl);
  }

  @Get('-/permissions')
  @ApiOperation({ operationId: 'GetPermissions', summary: "Get the caller's permissions" })
  @ApiExcludeEndpoint() // GetPermissions with name `-`: the same operation as below, documented once
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'permissions', name: '-' })
  async getOwnPermissions(@CurrentPrincipal() principal: Principal): Promise<UserPermissionView> {
    return toHaloUserPermission(await this.permissions.describe(principal.roles));
  }

  @Get(':name/permissions')
  @ApiOperation({ operationId: 'GetPermissions', summary: "Get a user's permissions" })
  @ApiOkResponse({ type: UserPermissionSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'permissions', nameParam: 'name' })
  async getPermissions(@Param('name') name: string): Promise<UserPermissionView> {
    return toHaloUserPermission(await this.usersService.permissionsOf(name));
  }

  @Post(':name/permissions')
  @HttpCode(200)
  @ApiOperation({ operationId: 'GrantPermission', summary: "Replace a user's roles" })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(400, 401, 403, 404)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'permissions', nameParam: 'name' })
  async grantPermission(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: GrantPermissionDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return toHaloUser(await this.roles.grant(requireUser(principal), name, body.roles, ip), this.options.publicUrl);
  }

  @Put(':name/password')
  @ApiOperation({ operationId: 'ChangeAnyonePassword', summary: "Set a user's password" })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(400, 401, 403, 404, 503)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'password', nameParam: 'name' })
  async changeAnyonePassword(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: ChangePasswordDto,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return toHaloUser(await this.passwords.changeAnyone(requireUser(principal), name, body.password, ip), this.options.publicUrl);
  }

  @Post(':name/avatar')
  @HttpCode(200)
  @AcceptsMediaTypes('multipart/form-data')
  @BodyLimit(AVATAR_BODY_LIMIT)
  @ApiOperation({ operationId: 'UploadUserAvatar', summary: "Upload a user's avatar (multipart part `file`)" })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'PNG, JPEG, GIF or WebP, at most 2 MiB' } } } })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(400, 401, 403, 404, 413, 415)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'avatar', nameParam: 'name' })
  async uploadUserAvatar(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Req() request: ConsoleRequest,
    @ClientIp() ip: string,
  ): Promise<HaloUser> {
    return toHaloUser(await this.avatars.upload(requireUser(principal), name, request, ip), this.options.publicUrl);
  }

  @Delete(':name/avatar')
  @ApiOperation({ operationId: 'DeleteUserAvatar', summary: "Delete a user's avatar" })
  @ApiOkResponse({ type: HaloUserSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ apiGroup: group, resource: 'users', subresource: 'avatar', nameParam: 'name' })
  async deleteUserAvatar(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @ClientIp() ip: string): Promise<HaloUser> {
    return toHaloUser(await this.avatars.remove(requireUser(principal), name, ip), this.options.publicUrl);
  }

  @Get(':name')
  @ApiOperation({ operationId: 'GetUserDetail', summary: 'Get user detail by name' })
  @ApiOkResponse({ type: DetailedUserSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ apiGroup: group, resource: 'users', nameParam: 'name' })
  getUserDetail(@Param('name') name: string): MaybePromise<DetailedUserView> {
    return andThen(this.usersService.userDetail(name), (detail) => toDetailedUser(detail, this.options.publicUrl));
  }
}
