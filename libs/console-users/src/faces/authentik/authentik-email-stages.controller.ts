import { Body, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { BodyLimit } from '../../http/body-rules.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { AuthentikController } from './authentik-controller.decorator';
import { AuthentikEmailStagesService } from './authentik-email-stages.service';
import { AuthentikPage, pageRequest } from './authentik-pagination';
import { AuthentikEmailStage, EmailStageRequestDto, PatchedEmailStageRequestDto } from './dto/email-stage.dto';
import { AuthentikEmailStageSchema, AuthentikErrors, AuthentikPageQuery, PaginatedAuthentikEmailStageListSchema } from './openapi/authentik-schemas';

/**
 * Reading stages needs `emailstages` get/list (in role-template-recover-users, so whoever may
 * mail a recovery link may pick a stage, as authentik's view_emailstage); writing needs
 * `emailstages` create/update/patch, which no template grants: super-role only.
 */
const stages = { apiGroup: ApiGroups.console, resource: 'emailstages' };
const SMALL_BODY = 16 * 1024;

/** authentik's `/api/v3/stages/email/`: the stages a recovery mail can use. */
@AuthentikController('api/v3/stages/email')
export class AuthentikEmailStagesController {
  constructor(private readonly stagesService: AuthentikEmailStagesService) {}

  @Get()
  @ApiOperation({ operationId: 'stages_email_list', summary: 'List email stages (authentik)' })
  @AuthentikPageQuery()
  @ApiQuery({ name: 'name', required: false, schema: { type: 'string' } })
  @ApiOkResponse({ type: PaginatedAuthentikEmailStageListSchema })
  @AuthentikErrors(401, 403, 404)
  @RequiresPermission({ ...stages, verb: 'list' })
  list(@Query() query: Record<string, unknown>): Promise<AuthentikPage<AuthentikEmailStage>> {
    return this.stagesService.list(
      { name: typeof query.name === 'string' ? query.name : undefined, search: typeof query.search === 'string' ? query.search : undefined },
      pageRequest(query),
    );
  }

  @Post()
  @HttpCode(201)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'stages_email_create', summary: 'Create an email stage (authentik)' })
  @ApiCreatedResponse({ type: AuthentikEmailStageSchema })
  @AuthentikErrors(400, 401, 403, 413)
  @RequiresPermission({ ...stages, verb: 'create' })
  create(@Body() body: EmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.stagesService.create(body);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'stages_email_retrieve', summary: 'Get one email stage (authentik)' })
  @ApiOkResponse({ type: AuthentikEmailStageSchema })
  @AuthentikErrors(401, 403, 404)
  @RequiresPermission({ ...stages, nameParam: 'uuid', verb: 'get' })
  retrieve(@Param('uuid') uuid: string): Promise<AuthentikEmailStage> {
    return this.stagesService.get(uuid);
  }

  @Patch(':uuid')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'stages_email_partial_update', summary: 'Change some fields of an email stage (authentik)' })
  @ApiOkResponse({ type: AuthentikEmailStageSchema })
  @AuthentikErrors(400, 401, 403, 404, 413)
  @RequiresPermission({ ...stages, nameParam: 'uuid', verb: 'patch' })
  patch(@Param('uuid') uuid: string, @Body() body: PatchedEmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.stagesService.update(uuid, body);
  }

  @Put(':uuid')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'stages_email_update', summary: 'Replace an email stage (authentik)' })
  @ApiOkResponse({ type: AuthentikEmailStageSchema })
  @AuthentikErrors(400, 401, 403, 404, 413)
  @RequiresPermission({ ...stages, nameParam: 'uuid', verb: 'update' })
  update(@Param('uuid') uuid: string, @Body() body: EmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.stagesService.update(uuid, body);
  }
}
