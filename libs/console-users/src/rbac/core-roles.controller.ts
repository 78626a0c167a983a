import { Body, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal, requireUser } from '../auth/principal';
import { HaloController } from '../http/halo-controller.decorator';
import type { HaloListResult } from '../http/halo-list-query';
import type { HaloRole } from './dto/halo-role.dto';
import { ListRolesQuery } from './dto/list-roles.query';
import { RoleWriteDto } from './dto/role-write.dto';
import { ApiGroups } from './rbac-labels';
import { RequiresPermission } from './requires-permission.decorator';
import { RolesService } from './roles.service';
import { RoleWritesService } from './role-writes.service';

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
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles' })
  listRoles(@Query() query: ListRolesQuery): Promise<HaloListResult<HaloRole>> {
    return this.roles.list(query);
  }

  @Get(':name')
  @ApiOperation({ operationId: 'GetRole', summary: 'Get a role' })
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name' })
  getRole(@Param('name') name: string): Promise<HaloRole> {
    return this.roles.get(name);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'CreateRole', summary: 'Create a role (metadata.generateName honoured) out of permissions the caller holds' })
  @ApiCreatedResponse({ description: 'The created Role' })
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', verb: 'create' })
  createRole(@CurrentPrincipal() principal: Principal, @Body() body: RoleWriteDto, @ClientIp() ip: string): Promise<HaloRole> {
    return this.writes.create(requireUser(principal), body, ip);
  }

  @Put(':name')
  @ApiOperation({ operationId: 'UpdateRole', summary: 'Replace a custom role (optimistic lock on metadata.version); built-in roles are read-only' })
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name', verb: 'update' })
  updateRole(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: RoleWriteDto,
    @ClientIp() ip: string,
  ): Promise<HaloRole> {
    return this.writes.update(requireUser(principal), name, body, ip);
  }

  @Delete(':name')
  @ApiOperation({ operationId: 'DeleteRole', summary: 'Delete a custom role and its bindings; built-in roles cannot be deleted' })
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name', verb: 'delete' })
  deleteRole(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @ClientIp() ip: string): Promise<HaloRole> {
    return this.writes.delete(requireUser(principal), name, ip);
  }
}
