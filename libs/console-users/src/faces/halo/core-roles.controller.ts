import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HaloController } from './halo-controller.decorator';
import type { HaloListResult } from './halo-list-query';
import type { HaloRole } from './dto/halo-role.dto';
import { HaloListQuery } from './dto/halo-list.query';
import { listHaloRoles } from './halo-role-list';
import { toHaloRole } from './role.mapper';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { RolesService } from '../../rbac/roles.service';

/** The core `Role` read endpoints the console uses to show and pick roles (`RoleV1alpha1Api`). */
@ApiTags('RoleV1alpha1')
@HaloController('api/v1alpha1/roles')
export class CoreRolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @ApiOperation({ operationId: 'ListRole', summary: 'List roles' })
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles' })
  async listRoles(@Query() query: HaloListQuery): Promise<HaloListResult<HaloRole>> {
    return listHaloRoles(await this.roles.all(), query);
  }

  @Get(':name')
  @ApiOperation({ operationId: 'GetRole', summary: 'Get a role' })
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'roles', nameParam: 'name' })
  async getRole(@Param('name') name: string): Promise<HaloRole> {
    return toHaloRole(await this.roles.get(name));
  }
}
