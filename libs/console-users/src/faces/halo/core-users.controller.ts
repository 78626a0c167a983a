import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { UserListingService } from '../../users/user-listing.service';
import { AcceptsMediaTypes } from '../../http/body-rules.decorator';
import { CreateCoreUserDto } from './dto/create-core-user.dto';
import { HaloListQuery } from './dto/halo-list.query';
import { HaloCoreUsersService } from './halo-core-users.service';
import { HaloListResult, listResult } from './halo-list-query';
import { toUserListCriteria } from './halo-user-list';
import { HaloUserSchema, JsonPatchOperationSchema, UserListSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';

const permission = { apiGroup: ApiGroups.core, resource: 'users', nameParam: 'name' };

/**
 * The core `User` extension endpoints (`UserV1alpha1Api`): list, create, get, PUT, JSON-patch and
 * delete, each under core `users` with the verb of its method (list, create, get, update, patch,
 * delete), as Halo's RBAC derives them.
 */
@ApiTags('UserV1alpha1')
@HaloController('api/v1alpha1/users')
export class CoreUsersController {
  constructor(
    private readonly accounts: UserAccountsService,
    private readonly listing: UserListingService,
    private readonly core: HaloCoreUsersService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'ListUser', summary: 'List users (paging, label and field selectors, sort)' })
  @ApiOkResponse({ type: UserListSchema })
  @HaloErrors(400, 401, 403)
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'users' })
  async listUsers(@Query() query: HaloListQuery): Promise<HaloListResult<HaloUser>> {
    const { criteria, page, size } = toUserListCriteria(query);
    const { items, total } = await this.listing.list(criteria);
    return listResult(
      items.map(({ user }) => toHaloUser(user, this.options.publicUrl)),
      page,
      size,
      total,
    );
  }

  @Post()
  @HttpCode(200)
  // Halo names it CreateUser too, in another API group; one document needs one name per operation,
  // so it gets the suffix springdoc gives a repeated operation id.
  @ApiOperation({ operationId: 'CreateUser_1', summary: 'Create a user from a whole User (no roles, no password)' })
  @ApiOkResponse({ type: HaloUserSchema, description: 'The created user' })
  @HaloErrors(400, 401, 403, 409)
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'users' })
  async createUser(@CurrentPrincipal() principal: Principal, @Body() body: CreateCoreUserDto, @ClientIp() ip: string): Promise<HaloUser> {
    return this.core.create(requireUser(principal), body, ip);
  }

  @Patch(':name')
  @AcceptsMediaTypes('application/json-patch+json', 'application/json')
  @ApiOperation({ operationId: 'PatchUser', summary: 'Apply an RFC 6902 JSON patch to a user (same rules as the PUT)' })
  @ApiConsumes('application/json-patch+json', 'application/json')
  @ApiBody({
    type: [JsonPatchOperationSchema],
    examples: { replace: { summary: 'Change the display name', value: [{ op: 'replace', path: '/spec/displayName', value: 'Jane Doe' }] } },
  })
  @ApiOkResponse({ type: HaloUserSchema, description: 'The patched user' })
  @HaloErrors(400, 401, 403, 404, 409, 415)
  @RequiresPermission(permission)
  async patchUser(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Body() body: unknown, @ClientIp() ip: string): Promise<HaloUser> {
    return this.core.patch(requireUser(principal), name, body, ip);
  }

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
