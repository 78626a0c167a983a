import { Body, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { HaloController } from './halo-controller.decorator';
import type { HaloListResult } from './halo-list-query';
import type { HaloRole } from './dto/halo-role.dto';
import { HaloListQuery } from './dto/halo-list.query';
import { RoleWriteDto } from './dto/role-write.dto';
import { listHaloRoles } from './halo-role-list';
import { toDeletedHaloRole, toHaloRole, toRoleDraft } from './role.mapper';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { RolesService } from '../../rbac/roles.service';
import { RoleWritesService } from '../../rbac/role-writes.service';
import { HaloRoleSchema, RoleListSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';

/** The core `Role` endpoints (`RoleV1alpha1Api`): read, and create/update/delete custom roles. */
@ApiTags('RoleV1alpha1')
@HaloController('api/v1alpha1/roles')
export class CoreRolesController {
  constructor(
    private readonly roles: RolesService,
    private readonly writes: RoleWritesService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'ListRole', summary: 'List roles' })
  @ApiOkResponse({ type: RoleListSchema })
  @HaloErrors(400, 401, 403)
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles' })
  async listRoles(@Query() query: HaloListQuery): Promise<HaloListResult<HaloRole>> {
    return listHaloRoles(await this.roles.all(), query);
  }

  @Get(':name')
  @ApiOperation({ operationId: 'GetRole', summary: 'Get a role' })
  @ApiOkResponse({ type: HaloRoleSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name' })
  async getRole(@Param('name') name: string): Promise<HaloRole> {
    return toHaloRole(await this.roles.get(name));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'CreateRole', summary: 'Create a role (metadata.generateName honoured) out of permissions the caller holds' })
  @HaloErrors(400, 401, 403, 409)
  @ApiCreatedResponse({ type: HaloRoleSchema, description: 'The created Role' })
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', verb: 'create' })
  async createRole(@CurrentPrincipal() principal: Principal, @Body() body: RoleWriteDto, @ClientIp() ip: string): Promise<HaloRole> {
    return toHaloRole(await this.writes.create(requireUser(principal), toRoleDraft(body), ip));
  }

  @Put(':name')
  @ApiOperation({ operationId: 'UpdateRole', summary: 'Replace a custom role (optimistic lock on metadata.version); built-in roles are read-only' })
  @ApiOkResponse({ type: HaloRoleSchema })
  @HaloErrors(400, 401, 403, 404, 409)
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name', verb: 'update' })
  async updateRole(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: RoleWriteDto,
    @ClientIp() ip: string,
  ): Promise<HaloRole> {
    return toHaloRole(await this.writes.update(requireUser(principal), name, toRoleDraft(body), ip));
  }

  @Delete(':name')
  @ApiOperation({ operationId: 'DeleteRole', summary: 'Delete a custom role and its bindings; built-in roles cannot be deleted' })
  @ApiOkResponse({ type: HaloRoleSchema, description: 'The deleted role' })
  @HaloErrors(400, 401, 403, 404)
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name', verb: 'delete' })
  async deleteRole(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @ClientIp() ip: string): Promise<HaloRole> {
    return toDeletedHaloRole(await this.writes.delete(requireUser(principal), name, ip));
  }
}
