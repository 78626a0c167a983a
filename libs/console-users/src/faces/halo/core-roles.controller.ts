import { Body, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { HaloRoleSchema, JsonPatchOperationSchema, RoleListSchema } from './openapi/halo-schemas';
import { AcceptsMediaTypes } from '../../http/body-rules.decorator';
import { HaloCoreRolesService } from './halo-core-roles.service';
import { HaloErrors } from './openapi/halo-errors';

/** The core `Role` endpoints (`RoleV1alpha1Api`): read, and create/update/patch/delete custom roles. */
@ApiTags('RoleV1alpha1')
@HaloController('api/v1alpha1/roles')
export class CoreRolesController {
  constructor(
    private readonly roles: RolesService,
    private readonly writes: RoleWritesService,
    private readonly core: HaloCoreRolesService,
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

  @Patch(':name')
  @AcceptsMediaTypes('application/json-patch+json', 'application/json')
  @ApiOperation({ operationId: 'PatchRole', summary: 'Apply an RFC 6902 JSON patch to a custom role (same rules as the PUT)' })
  @ApiConsumes('application/json-patch+json', 'application/json')
  @ApiBody({
    type: [JsonPatchOperationSchema],
    examples: {
      rename: { summary: 'Change the display name', value: [{ op: 'replace', path: '/metadata/annotations/rbac.authorization.halo.run~1display-name', value: 'Editors' }] },
    },
  })
  @ApiOkResponse({ type: HaloRoleSchema, description: 'The patched role' })
  @HaloErrors(400, 401, 403, 404, 409, 415)
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name', verb: 'patch' })
  async patchRole(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Body() body: unknown, @ClientIp() ip: string): Promise<HaloRole> {
    return this.core.patch(requireUser(principal), name, body, ip);
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
